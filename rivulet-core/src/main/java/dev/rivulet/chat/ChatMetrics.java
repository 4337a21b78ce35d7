package dev.rivulet.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Chat's own state as a MicroProfile Metrics gauge, beside the hub's at /metrics. Its connections
 * are counted with every other transport's, as {@code rivulet_connections{transport="websocket"}}.
 */
@ApplicationScoped
public class ChatMetrics {

    @Inject
    MetricRegistry registry;

    @Inject
    ChatRooms rooms;

    void register(@Observes @Initialized(ApplicationScoped.class) Object context) {
        registry.gauge(Metadata.builder().withName("rivulet.chat.rooms")
                .withDescription("Chat rooms with members on this node.").build(), rooms, ChatRooms::count);
    }
}
