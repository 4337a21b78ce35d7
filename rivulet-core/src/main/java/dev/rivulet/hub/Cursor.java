package dev.rivulet.hub;

import java.util.Optional;

/**
 * A position in the hub's event order. Every event id is a cursor; a client resumes after one.
 * Positions are strictly increasing across all topics of a hub (and of a cluster, whose broker
 * assigns them centrally), so one id resumes a stream over any number of topics. On the wire a
 * cursor is an opaque decimal string.
 */
public record Cursor(long position) implements Comparable<Cursor> {

    /** Longest id a client may send back; anything longer is not an id of ours. */
    public static final int MAX_LENGTH = 64;

    public static Cursor of(long position) {
        return new Cursor(position);
    }

    /**
     * The cursor named by a client's text, or empty when the text is not one of ours. Text with a
     * control character or U+FFFD is no id of any hub, only an attempt to smuggle something into
     * a stream or a log: {@code invalid-id}.
     */
    public static Optional<Cursor> parse(String text) {
        if (text != null && (Names.hasControl(text) || Names.hasUndecodable(text))) {
            throw new InvalidInputException("invalid-id", "an event id may not contain control characters or U+FFFD");
        }
        if (text == null || text.isEmpty() || text.length() > 19) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(new Cursor(Long.parseLong(text)));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    public boolean isAfter(Cursor other) {
        return position > other.position;
    }

    @Override
    public int compareTo(Cursor other) {
        return Long.compare(position, other.position);
    }

    @Override
    public String toString() {
        return Long.toString(position);
    }
}
