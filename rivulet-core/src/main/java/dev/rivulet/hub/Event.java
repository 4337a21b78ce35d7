package dev.rivulet.hub;

import java.time.Instant;
import java.util.List;

/**
 * One published event, immutable. {@code data} is compact JSON text: it never holds a raw line
 * break, so no transport framing can be forged from it. {@code meta} holds what a Mercure
 * publisher adds (its own id, alternate topics, a retry); {@link EventMeta#NONE} for a native event.
 */
public record Event(Cursor id, String topic, String type, String data, Instant time, boolean privateEvent,
                    EventMeta meta) implements Outbound {

    public static final String DEFAULT_TYPE = "message";

    public Event {
        if (meta == null) {
            meta = EventMeta.NONE;
        }
    }

    /** A native event, without Mercure fields. */
    public Event(Cursor id, String topic, String type, String data, Instant time, boolean privateEvent) {
        this(id, topic, type, data, time, privateEvent, EventMeta.NONE);
    }

    /**
     * Whether a reader allowed the private events of the topics {@code privateAccess} covers may
     * see this event: a public event reaches everyone subscribed, a private one only those readers
     * whose access covers its topic or one of its alternate topics.
     */
    public boolean visibleTo(List<TopicSelector> privateAccess) {
        return !privateEvent || matchedBy(privateAccess);
    }

    /** True when one of {@code selectors} matches the event's topic or one of its alternate topics. */
    public boolean matchedBy(List<TopicSelector> selectors) {
        if (TopicSelector.anyMatches(selectors, topic)) {
            return true;
        }
        for (String alternate : meta.alternates()) {
            if (TopicSelector.anyMatches(selectors, alternate)) {
                return true;
            }
        }
        return false;
    }
}
