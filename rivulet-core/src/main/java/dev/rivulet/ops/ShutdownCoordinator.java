package dev.rivulet.ops;

import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Drainable;
import dev.rivulet.hub.Hub;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains the node for shutdown, within {@code rivulet.shutdown.grace}: readiness goes DOWN, the
 * gate refuses new connections and the hub new publishes (503), publishes under way finish, then
 * every connection of every transport gets what it was sent, a {@code shutdown} notice with its
 * own jittered reconnect hint, and is closed. Whatever is still open when the grace runs out is
 * closed without a goodbye.
 *
 * <p>Liberty runs application stop hooks only after it has torn connections down, too late to say
 * goodbye. So the drain starts from a JVM shutdown hook (SIGTERM, Ctrl-C: Liberty's quiesce has
 * just begun and connections still work), or from {@code POST /api/ops/drain} before
 * {@code server stop}. The hook is removed when the application stops, so a redeploy leaves none behind.
 */
@ApplicationScoped
public class ShutdownCoordinator {

    private static final Logger LOG = Logger.getLogger(ShutdownCoordinator.class.getName());

    /** What a drain did: connections told to leave, those closed without a goodbye, and how long it took. */
    public record Report(int connections, int forced, long elapsedMillis) {
    }

    private ShutdownConfig config;
    private Lifecycle lifecycle;
    private ConnectionGate gate;
    private Hub hub;
    private List<Drainable> drainables = List.of();

    private final AtomicBoolean begun = new AtomicBoolean();
    private final CompletableFuture<Report> done = new CompletableFuture<>();
    private Thread hook;

    protected ShutdownCoordinator() {
    }

    @Inject
    public ShutdownCoordinator(ShutdownConfig config, Lifecycle lifecycle, ConnectionGate gate, Hub hub,
                               @Any Instance<Drainable> drainables) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.gate = gate;
        this.hub = hub;
        List<Drainable> found = new ArrayList<>();
        drainables.forEach(found::add);
        this.drainables = List.copyOf(found);
    }

    /** For code that runs without CDI (tests). */
    ShutdownCoordinator(ShutdownConfig config, Lifecycle lifecycle, ConnectionGate gate, Hub hub,
                        List<Drainable> drainables) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.gate = gate;
        this.hub = hub;
        this.drainables = List.copyOf(drainables);
    }

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        hook = new Thread(this::drainOnSignal, "rivulet-shutdown-drain");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @PreDestroy
    void stop() {
        if (hook == null) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownUnderWay) {
            // The JVM is exiting and the hook has run (or is running) already.
        }
    }

    private void drainOnSignal() {
        try {
            Report r = drain();
            LOG.info(() -> "Drained for shutdown: " + r.connections() + " connection(s) told to reconnect, "
                    + r.forced() + " closed at the end of the grace, in " + r.elapsedMillis() + " ms");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Shutdown drain failed", e);
        }
    }

    /**
     * Drains the node and answers when it is done (at most the grace, plus a little). A second call,
     * or one while a drain is under way, waits for that drain and answers its report.
     */
    public Report drain() {
        if (!begun.compareAndSet(false, true)) {
            return done.join();
        }
        try {
            done.complete(drainNow());
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
            throw e;
        }
        return done.join();
    }

    /** True once a drain has begun. */
    public boolean draining() {
        return begun.get();
    }

    private Report drainNow() {
        long start = System.nanoTime();
        long deadline = start + config.grace().toNanos();
        lifecycle.markDraining();
        Duration retryAfter = config.retryMax();
        gate.close(retryAfter);
        // Every event accepted so far reaches the queues before any farewell is queued behind them.
        hub.stopAccepting(retryAfter, remaining(deadline));
        int told = 0;
        for (Drainable d : drainables) {
            told += d.openConnections();
            d.drain(this::farewell);
        }
        while (open() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(20_000_000);
        }
        int forced = open();
        if (forced > 0) {
            for (Drainable d : drainables) {
                d.forceClose();
            }
        }
        return new Report(told, forced, (System.nanoTime() - start) / 1_000_000);
    }

    private int open() {
        int n = 0;
        for (Drainable d : drainables) {
            n += d.openConnections();
        }
        return n;
    }

    /** One client's notice: a reconnect hint drawn evenly from the configured range, so clients spread out. */
    ControlEvent farewell() {
        long min = config.retryMin().toMillis();
        long max = config.retryMax().toMillis();
        return ControlEvent.shutdown(min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
