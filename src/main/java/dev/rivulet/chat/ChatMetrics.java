package dev.rivulet.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/** Chat's state as MicroProfile Metrics gauges, beside the hub's at /metrics. */
@ApplicationScoped
public class ChatMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    ChatSessions sessions;

    @Inject
    ChatRooms rooms;

    void register(@Observes @Initialized(ApplicationScoped.class) Object context) {
        registry.gauge(Metadata.builder().withName("rivulet.chat.connections")
                .withDescription("Open chat WebSocket connections on this node.").build(), sessions, ChatSessions::count);
        registry.gauge(Metadata.builder().withName("rivulet.chat.rooms")
                .withDescription("Chat rooms with members on this node.").build(), rooms, ChatRooms::count);
    }
}
