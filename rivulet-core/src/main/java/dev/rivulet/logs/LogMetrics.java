package dev.rivulet.logs;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The log store's activity as MicroProfile Metrics, at /metrics beside the hub's. With the
 * connection pool's own gauges ({@code connectionpool_*}) they show whether streams release what
 * they hold.
 */
@ApplicationScoped
public class LogMetrics {

    @Inject
    MetricRegistry registry;

    private final AtomicInteger open = new AtomicInteger();
    private Counter ingested;
    private Counter rejected;
    private Counter exported;
    private Counter abandoned;
    private Counter caughtUp;

    /** Metrics that are not exported, for code that runs without CDI (tests, tools). */
    public static LogMetrics unregistered() {
        return new LogMetrics();
    }

    @PostConstruct
    void register() {
        ingested = counter("rivulet.logs.ingested", "Log entries stored since start.");
        rejected = counter("rivulet.logs.rejected", "Log lines rejected since start.");
        exported = counter("rivulet.logs.exported", "Log entries written to export and tail streams since start.");
        abandoned = counter("rivulet.logs.streams.abandoned",
                "Export and tail streams that ended because the client went away before their end.");
        caughtUp = counter("rivulet.logs.tails.caught.up",
                "Times a tail fell behind its live queue and caught up from the store instead.");
        registry.gauge(Metadata.builder().withName("rivulet.logs.streams")
                .withDescription("Open export and tail streams on this node.").build(), open, AtomicInteger::get);
    }

    private Counter counter(String name, String description) {
        return registry.counter(Metadata.builder().withName(name).withDescription(description).build());
    }

    void ingested(long n) {
        add(ingested, n);
    }

    void rejected(long n) {
        add(rejected, n);
    }

    void exported(long n) {
        add(exported, n);
    }

    /** A tail's live queue overflowed, and it is catching up from the store. */
    void tailCaughtUp() {
        add(caughtUp, 1);
    }

    void streamOpened() {
        open.incrementAndGet();
    }

    /** A stream ended; {@code clientGone} when the client left before its end. */
    void streamClosed(boolean clientGone) {
        open.decrementAndGet();
        if (clientGone) {
            add(abandoned, 1);
        }
    }

    private static void add(Counter counter, long n) {
        if (counter != null && n > 0) {
            counter.inc(n);
        }
    }
}
