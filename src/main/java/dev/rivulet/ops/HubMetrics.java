package dev.rivulet.ops;

import dev.rivulet.hub.Hub;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** The hub's state as MicroProfile Metrics gauges, exported in Prometheus text at /metrics. */
@ApplicationScoped
public class HubMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Hub hub;

    void register(@Observes @Initialized(ApplicationScoped.class) Object context) {
        gauge("rivulet.subscribers", "Live subscriptions on this node.", Hub::subscriberCount);
        gauge("rivulet.subscriber.queue.depth.max", "The longest subscriber queue right now (events).",
                Hub::deepestQueue);
        gauge("rivulet.subscriber.queue.depth.peak", "The longest any subscriber queue has been since start (events).",
                Hub::queuePeak);
        gauge("rivulet.subscriber.queue.capacity", "The bound of every subscriber queue (events).",
                Hub::queueCapacity);
    }

    private void gauge(String name, String description, java.util.function.ToIntFunction<Hub> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                hub, h -> value.applyAsInt(h));
    }
}
