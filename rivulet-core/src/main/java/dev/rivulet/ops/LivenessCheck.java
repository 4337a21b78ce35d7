package dev.rivulet.ops;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /health/live}: the node can still do work. It starts a virtual thread, the kind every
 * connection writes on (a node whose carrier threads are all stuck delivers nothing), and looks for
 * deadlocked threads (a node with a deadlock never recovers by itself). DOWN means: restart it.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    /** Long enough that a busy node is not restarted for being busy. */
    static final Duration WRITERS_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rivulet-live");
        boolean up = true;
        long start = System.nanoTime();
        try {
            Thread probe = Thread.ofVirtual().name("rivulet-liveness").start(() -> { });
            if (probe.join(WRITERS_TIMEOUT)) {
                response.withData("writers", "UP");
            } else {
                response.withData("writers", "DOWN: a virtual thread did not run within " + WRITERS_TIMEOUT.toMillis() + " ms");
                up = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.withData("writers", "DOWN: interrupted");
            up = false;
        }
        response.withData("writers_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        int n = deadlocked == null ? 0 : deadlocked.length;
        response.withData("deadlocked_threads", n);
        up &= n == 0;
        return response.status(up).build();
    }
}
