package dev.rivulet.ops;

import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** The node's state as MicroProfile Metrics gauges, exported in Prometheus text at /metrics. */
@ApplicationScoped
public class HubMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    Hub hub;

    @Inject
    ConnectionGate gate;

    void register(@Observes @Initialized(ApplicationScoped.class) Object context) {
        gauge("rivulet.subscribers", "Live subscriptions on this node.", Hub::subscriberCount);
        gauge("rivulet.topics", "Topics with retained history or live subscribers on this node.", Hub::topicCount);
        gauge("rivulet.subscriber.queue.depth.max", "The longest subscriber queue right now (events).",
                Hub::deepestQueue);
        gauge("rivulet.subscriber.queue.depth.peak", "The longest any subscriber queue has been since start (events).",
                Hub::queuePeak);
        gauge("rivulet.subscriber.queue.capacity", "The bound of every subscriber queue (events).",
                Hub::queueCapacity);

        Metadata connections = Metadata.builder().withName("rivulet.connections")
                .withDescription("Open streaming connections, by transport (sse, ndjson, websocket).").build();
        for (Transport t : Transport.values()) {
            registry.gauge(connections, gate, g -> g.open(t), new Tag("transport", t.label()));
        }
        registry.gauge(Metadata.builder().withName("rivulet.connections.limit")
                .withDescription("The most streaming connections this node admits (rivulet.connections.max).").build(),
                gate, ConnectionGate::max);
    }

    private void gauge(String name, String description, ToIntFunction<Hub> value) {
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(),
                hub, h -> value.applyAsInt(h));
    }
}
