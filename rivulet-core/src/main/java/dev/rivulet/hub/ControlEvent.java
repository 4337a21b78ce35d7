package dev.rivulet.hub;

/**
 * A message from the hub itself rather than from a publisher, carried by every transport the same
 * way as an event of that type. {@code data} is compact JSON text. {@code retryMillis}, when above
 * 0, is how long the client should wait before it reconnects (SSE also sends it as {@code retry:}).
 */
public record ControlEvent(String type, String data, long retryMillis) implements Outbound {

    public ControlEvent(String type, String data) {
        this(type, data, 0);
    }

    /** The cursor was older than history or unknown; replay starts at the oldest retained event. */
    public static ControlEvent gap(Cursor since, String reason) {
        String from = since == null ? "null" : JsonText.quote(since.toString());
        return new ControlEvent("gap", "{\"since\":" + from + ",\"reason\":" + JsonText.quote(reason) + "}");
    }

    /** Events were dropped because the subscriber fell behind (overflow policy drop-oldest). */
    public static ControlEvent lagged(long missed) {
        return new ControlEvent("lagged", "{\"missed\":" + missed + "}");
    }

    /** The node is draining: the stream ends after this; reconnect (to any node) after {@code retryMillis}. */
    public static ControlEvent shutdown(long retryMillis) {
        return new ControlEvent("shutdown", "{\"retry_ms\":" + retryMillis + "}", retryMillis);
    }
}
