package dev.rivulet.hub;

/** Where a broker hands every event, in id order, on each node: the node's {@link Hub}. */
@FunctionalInterface
public interface Fanout {

    /** Offers the event to the node's matching subscribers; answers how many took it. */
    int deliver(Event event);

    /**
     * Events may not have reached this node (its broker connection broke, and history no longer
     * holds all it missed): every stream ends, so its client resumes from its last id and learns
     * of any gap.
     */
    default void lost() {
    }
}
