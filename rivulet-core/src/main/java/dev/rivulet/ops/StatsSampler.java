package dev.rivulet.ops;

import dev.rivulet.broker.BrokerConfig;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Transport;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Takes one sample of the node a second, while anyone watches {@code GET /api/stats}: health,
 * connections by transport, events published and delivered per second, subscribers closed as
 * slow, the broker and the database. Each sample is one JSON object, handed to every watcher.
 */
@ApplicationScoped
public class StatsSampler {

    private static final Logger LOG = Logger.getLogger(StatsSampler.class.getName());
    static final long INTERVAL_MILLIS = 1000;

    @Inject
    Hub hub;

    @Inject
    ConnectionGate gate;

    @Inject
    TrafficMetrics traffic;

    @Inject
    BrokerConfig broker;

    @Inject
    Lifecycle lifecycle;

    @Inject
    @Any
    Instance<Dependency> dependencies;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Set<StatsStream> watchers = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sampling;
    private long lastNanos;
    private long lastPublished;
    private long lastDelivered;
    private volatile String latest;

    /** Adds a watcher; the first one starts the sampling. Answers the latest sample (null before the first). */
    synchronized String watch(StatsStream stream) {
        watchers.add(stream);
        if (sampling == null) {
            lastNanos = System.nanoTime();
            lastPublished = traffic.publishedCount();
            lastDelivered = traffic.deliveredCount();
            latest = sample();
            sampling = scheduler.scheduleAtFixedRate(this::tick, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
        return latest;
    }

    /** Removes a watcher; the last one stops the sampling. */
    synchronized void unwatch(StatsStream stream) {
        watchers.remove(stream);
        if (watchers.isEmpty() && sampling != null) {
            sampling.cancel(false);
            sampling = null;
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (sampling != null) {
            sampling.cancel(false);
        }
    }

    private void tick() {
        try {
            String s;
            synchronized (this) {
                s = sample();
                latest = s;
            }
            for (StatsStream w : watchers) {
                w.offer(s);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Taking a stats sample failed", e);
        }
    }

    /** One sample; the rates are over the time since the previous one. */
    private String sample() {
        long now = System.nanoTime();
        long published = traffic.publishedCount();
        long delivered = traffic.deliveredCount();
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        double publishedRate = (published - lastPublished) / seconds;
        double deliveredRate = (delivered - lastDelivered) / seconds;
        lastNanos = now;
        lastPublished = published;
        lastDelivered = delivered;

        HealthCheckResponse live = new LivenessCheck().call();
        HealthCheckResponse ready = new ReadinessCheck(lifecycle, dependencies.stream().toList()).call();
        StringBuilder json = new StringBuilder(512);
        json.append("{\"time\":\"").append(Instant.now()).append('"');
        json.append(",\"live\":").append(live.getStatus() == HealthCheckResponse.Status.UP);
        json.append(",\"ready\":").append(ready.getStatus() == HealthCheckResponse.Status.UP);
        json.append(",\"checks\":{");
        Map<String, Object> data = ready.getData().orElse(Map.of());
        boolean first = true;
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(data).entrySet()) {
            json.append(first ? "" : ",").append(JsonText.quote(e.getKey())).append(':');
            Object v = e.getValue();
            json.append(v instanceof Boolean || v instanceof Number ? v.toString() : JsonText.quote(String.valueOf(v)));
            first = false;
        }
        json.append("},\"connections\":{");
        first = true;
        for (Transport t : Transport.values()) {
            json.append(first ? "" : ",").append('"').append(t.label()).append("\":").append(gate.open(t));
            first = false;
        }
        json.append("},\"connections_max\":").append(gate.max());
        json.append(",\"published_per_second\":").append(round(publishedRate));
        json.append(",\"delivered_per_second\":").append(round(deliveredRate));
        json.append(",\"published\":").append(published);
        json.append(",\"delivered\":").append(delivered);
        json.append(",\"closed_slow\":").append(traffic.closedSlowCount());
        json.append(",\"subscribers\":").append(hub.subscriberCount());
        json.append(",\"topics\":").append(hub.topicCount());
        json.append(",\"broker\":").append(JsonText.quote(broker.kind().name().toLowerCase(java.util.Locale.ROOT)));
        json.append('}');
        return json.toString();
    }

    private static double round(double rate) {
        return Math.round(rate * 10) / 10.0;
    }
}
