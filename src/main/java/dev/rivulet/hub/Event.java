package dev.rivulet.hub;

import java.time.Instant;

/**
 * One published event, immutable. {@code data} is compact JSON text: it never holds a raw line
 * break, so no transport framing can be forged from it.
 */
public record Event(Cursor id, String topic, String type, String data, Instant time, boolean privateEvent)
        implements Outbound {

    public static final String DEFAULT_TYPE = "message";
}
