package dev.rivulet.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Mercure publisher adds to an event beyond the native fields, carried through the hub and
 * every broker unchanged: the publisher's own id for it (null when the hub names it by its
 * cursor), the alternate topics that match it as its topic does, the reconnection time its SSE
 * frame sets (0: none), and whether {@code data} holds text rather than a JSON value (it is then
 * stored as one JSON string, so native clients still get JSON). Native events have {@link #NONE}.
 */
public record EventMeta(String id, List<String> alternates, long retryMillis, boolean text) {

    public static final EventMeta NONE = new EventMeta(null, List.of(), 0, false);

    /** Separates the fields of {@link #encode}: no topic or id may hold a control character. */
    private static final char SEPARATOR = '\u001f';

    public EventMeta {
        alternates = List.copyOf(alternates);
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retry is at least 0");
        }
    }

    /** True when every field is at its default: a native event. */
    public boolean isNone() {
        return id == null && alternates.isEmpty() && retryMillis == 0 && !text;
    }

    /**
     * One line of text for a broker to store beside the event: empty for {@link #NONE}, else the
     * text flag, the retry, the id (empty when the hub's own) and the alternates, separated by U+001F.
     */
    public String encode() {
        if (isNone()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append(text ? '1' : '0').append(SEPARATOR).append(retryMillis).append(SEPARATOR).append(id == null ? "" : id);
        for (String a : alternates) {
            b.append(SEPARATOR).append(a);
        }
        return b.toString();
    }

    /** The meta {@link #encode} wrote; {@link #NONE} for null or empty text. */
    public static EventMeta decode(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return NONE;
        }
        List<String> fields = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= encoded.length(); i++) {
            if (i == encoded.length() || encoded.charAt(i) == SEPARATOR) {
                fields.add(encoded.substring(start, i));
                start = i + 1;
            }
        }
        if (fields.size() < 3) {
            throw new IllegalArgumentException("not an encoded event meta: " + encoded);
        }
        String id = fields.get(2).isEmpty() ? null : fields.get(2);
        return new EventMeta(id, fields.subList(3, fields.size()), Long.parseLong(fields.get(1)), "1".equals(fields.get(0)));
    }
}
