package dev.rivulet.ops;

import java.util.Optional;

/**
 * Something this node needs to serve (the broker, the database). Readiness is DOWN while any
 * dependency cannot be reached, and its data names which. Implement it on an application-scoped
 * bean and readiness finds it.
 */
public interface Dependency {

    /** The name in the readiness data: {@code broker}, {@code database}, {@code jwks}. */
    String name();

    /**
     * Checks the dependency now: empty when it can be reached, else why not, in a few words and
     * without secrets. Answers within about a second (use the driver's validation timeout).
     */
    Optional<String> problem();

    /** False for a dependency this node is not configured to have; readiness then leaves it out. */
    default boolean inUse() {
        return true;
    }
}
