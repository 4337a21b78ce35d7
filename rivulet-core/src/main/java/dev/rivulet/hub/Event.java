package dev.rivulet.hub;

import java.time.Instant;
import java.util.List;

/**
 * One published event, immutable. {@code data} is compact JSON text: it never holds a raw line
 * break, so no transport framing can be forged from it.
 */
public record Event(Cursor id, String topic, String type, String data, Instant time, boolean privateEvent)
        implements Outbound {

    public static final String DEFAULT_TYPE = "message";

    /**
     * Whether a reader allowed the private events of the topics {@code privateAccess} covers may
     * see this event: a public event reaches everyone subscribed, a private one only those readers.
     */
    public boolean visibleTo(List<TopicSelector> privateAccess) {
        return !privateEvent || TopicSelector.anyMatches(privateAccess, topic);
    }
}
