package dev.rivulet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ReadinessCheckTest {

    private final Lifecycle lifecycle = new Lifecycle();
    /** A database that can be made unreachable, as the logs store's dependency will be. */
    private final AtomicReference<Optional<String>> database = new AtomicReference<>(Optional.empty());
    private final ReadinessCheck check = new ReadinessCheck(lifecycle, List.of(
            dependency("broker", () -> Optional.empty()),
            dependency("database", database::get)));

    private static Dependency dependency(String name, java.util.function.Supplier<Optional<String>> problem) {
        return new Dependency() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> problem() {
                return problem.get();
            }
        };
    }

    private static Map<String, Object> data(HealthCheckResponse r) {
        return r.getData().orElseThrow();
    }

    @Test
    void downWhileStarting() {
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals(true, data(r).get("starting"));
    }

    @Test
    void upOnceStartedWithEveryDependencyReachable() {
        lifecycle.markStarted();
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals("UP", data(r).get("broker"));
        assertEquals("UP", data(r).get("database"));
        assertEquals(false, data(r).get("draining"));
    }

    @Test
    void downWhileTheDatabaseCannotBeReachedAndTheDataSaysSo() {
        lifecycle.markStarted();
        database.set(Optional.of("connection refused"));

        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals("DOWN: connection refused", data(r).get("database"));
        assertEquals("UP", data(r).get("broker"));

        database.set(Optional.empty());
        assertEquals(HealthCheckResponse.Status.UP, check.call().getStatus(), "ready again once it is back");
    }

    @Test
    void aDependencyCheckThatThrowsCountsAsDown() {
        lifecycle.markStarted();
        ReadinessCheck failing = new ReadinessCheck(lifecycle, List.of(dependency("database", () -> {
            throw new IllegalStateException("pool closed");
        })));
        HealthCheckResponse r = failing.call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals("DOWN: its check failed (IllegalStateException)", data(r).get("database"));
    }

    @Test
    void downOnceDrainingAndForGood() {
        lifecycle.markStarted();
        lifecycle.markDraining();
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.DOWN, r.getStatus());
        assertEquals(true, data(r).get("draining"));
        assertFalse((Boolean) data(r).get("starting"));
    }
}
