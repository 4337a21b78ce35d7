package dev.rivulet.ops;

import dev.rivulet.hub.Event;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The hub's traffic as MicroProfile Metrics counters and a latency histogram, exported in
 * Prometheus text at /metrics. Every series with a known label is registered at 0 at startup, so
 * a rate over it exists before the first event.
 */
@ApplicationScoped
public class TrafficMetrics implements Traffic {

    /** Refusals registered up front; others appear with their first occurrence. */
    static final List<String> KNOWN_REJECTIONS = List.of(
            "connection-limit", "client-connection-limit", "publish-rate", "payload-too-large", "draining");

    @Inject
    MetricRegistry registry;

    private Counter published;
    private Counter[] delivered;
    private Counter lagged;
    private Counter[] discarded;
    private Counter[][] closed;
    private Counter resumedFromHistory;
    private Counter resumedAfterGap;
    private Timer latency;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    private Metadata rejectedMetadata;

    @PostConstruct
    void register() {
        published = registry.counter(metadata("rivulet.events.published", "Events accepted by this node."));

        Metadata deliveredMetadata = metadata("rivulet.events.delivered", "Events written to clients, by transport.");
        delivered = new Counter[Transport.values().length];
        for (Transport t : Transport.values()) {
            delivered[t.ordinal()] = registry.counter(deliveredMetadata, new Tag("transport", t.label()));
        }

        Metadata droppedMetadata = metadata("rivulet.events.dropped",
                "Events a subscriber had taken but never wrote, by reason: lagged (overflow drop-oldest), "
                        + "or the reason its connection closed (slow, client, shutdown, limit, auth).");
        lagged = registry.counter(droppedMetadata, new Tag("reason", "lagged"));
        discarded = new Counter[CloseReason.values().length];
        for (CloseReason r : CloseReason.values()) {
            discarded[r.ordinal()] = registry.counter(droppedMetadata, new Tag("reason", r.label()));
        }

        Metadata closedMetadata = metadata("rivulet.connections.closed",
                "Streaming connections ended, by transport and reason (client, slow, shutdown, limit, auth).");
        closed = new Counter[Transport.values().length][CloseReason.values().length];
        for (Transport t : Transport.values()) {
            for (CloseReason r : CloseReason.values()) {
                closed[t.ordinal()][r.ordinal()] = registry.counter(closedMetadata,
                        new Tag("transport", t.label()), new Tag("reason", r.label()));
            }
        }

        Metadata resumesMetadata = metadata("rivulet.resumes",
                "Subscriptions resumed from a client's last id: result history (no gap) or gap.");
        resumedFromHistory = registry.counter(resumesMetadata, new Tag("result", "history"));
        resumedAfterGap = registry.counter(resumesMetadata, new Tag("result", "gap"));

        rejectedMetadata = metadata("rivulet.requests.rejected",
                "Requests refused, by reason (the problem type's slug, e.g. connection-limit, publish-rate).");
        for (String reason : KNOWN_REJECTIONS) {
            rejectedCounter(reason);
        }

        latency = registry.timer(Metadata.builder().withName("rivulet.delivery.latency")
                .withDescription("Time from an event's publication to its write to a client (live events only).")
                .withUnit(MetricUnits.SECONDS).build());
    }

    /** Registered with the application, so /metrics lists every series before the first request. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        published.getCount();
    }

    private static Metadata metadata(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }

    private Counter rejectedCounter(String reason) {
        return rejected.computeIfAbsent(reason, r -> registry.counter(rejectedMetadata, new Tag("reason", r)));
    }

    /** Events accepted by this node since it started. */
    long publishedCount() {
        return published.getCount();
    }

    /** Events written to clients since the node started, every transport together. */
    long deliveredCount() {
        long n = 0;
        for (Counter c : delivered) {
            n += c.getCount();
        }
        return n;
    }

    /** Connections closed as too slow since the node started, every transport together. */
    long closedSlowCount() {
        long n = 0;
        for (Counter[] byReason : closed) {
            n += byReason[CloseReason.SLOW.ordinal()].getCount();
        }
        return n;
    }

    @Override
    public void published(Event event) {
        published.inc();
    }

    @Override
    public void delivered(Transport transport, int events, Event firstLive) {
        delivered[transport.ordinal()].inc(events);
        if (firstLive != null) {
            // Publication time is the publishing node's clock, to the millisecond.
            long millis = Math.max(0, System.currentTimeMillis() - firstLive.time().toEpochMilli());
            latency.update(Duration.ofMillis(millis));
        }
    }

    @Override
    public void lagged(long events) {
        lagged.inc(events);
    }

    @Override
    public void discarded(CloseReason reason, long events) {
        discarded[reason.ordinal()].inc(events);
    }

    @Override
    public void closed(Transport transport, CloseReason reason) {
        closed[transport.ordinal()][reason.ordinal()].inc();
    }

    @Override
    public void resumed(boolean gap) {
        (gap ? resumedAfterGap : resumedFromHistory).inc();
    }

    @Override
    public void rejected(String reason) {
        rejectedCounter(reason).inc();
    }
}
