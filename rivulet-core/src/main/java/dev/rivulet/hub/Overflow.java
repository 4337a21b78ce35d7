package dev.rivulet.hub;

import java.util.Locale;

/** What happens when an event arrives for a subscriber whose queue is full. */
public enum Overflow {
    /** The stream ends; the client reconnects with its last id and catches up from history. */
    DISCONNECT,
    /** The oldest queued event is dropped and the client is told how many it missed. */
    DROP_OLDEST;

    public static Overflow parse(String text) {
        for (Overflow o : values()) {
            if (o.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("expected disconnect or drop-oldest, was '" + text + "'");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
