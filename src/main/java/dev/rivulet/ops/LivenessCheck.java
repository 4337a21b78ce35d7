package dev.rivulet.ops;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /health/live}: the node can still do work. It runs a task on the executor every stream is
 * drained on (a pool that no longer runs tasks delivers nothing), and looks for deadlocked threads
 * (a node with a deadlock never recovers by itself). DOWN means: restart it.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    /** Long enough that a busy node is not restarted for being busy. */
    static final long EXECUTOR_TIMEOUT_MILLIS = 10_000;

    @Resource(lookup = "concurrent/drainers")
    ManagedExecutorService executor;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rivulet-live");
        boolean up = true;
        long start = System.nanoTime();
        try {
            Future<?> task = executor.submit(() -> { });
            task.get(EXECUTOR_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            response.withData("executor", "UP");
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            response.withData("executor", "DOWN: a task did not run within " + EXECUTOR_TIMEOUT_MILLIS + " ms");
            up = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.withData("executor", "DOWN: interrupted");
            up = false;
        }
        response.withData("executor_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        int n = deadlocked == null ? 0 : deadlocked.length;
        response.withData("deadlocked_threads", n);
        up &= n == 0;
        return response.status(up).build();
    }
}
