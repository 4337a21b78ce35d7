package dev.rivulet.hub;

import java.util.Locale;

/**
 * The wire a client connection uses. The hub never behaves differently by transport; the name is
 * there so connections and deliveries can be counted per transport, and limits apply to all alike.
 */
public enum Transport {
    SSE,
    NDJSON,
    WEBSOCKET,
    /** Server-Sent Events framed as the Mercure protocol says, at {@code /.well-known/mercure}. */
    MERCURE,
    /** Long-polling: one JSON answer per request, a connection while it waits. */
    LONGPOLL;

    /** The name in metrics and logs: {@code sse}, {@code ndjson}, {@code websocket}, {@code mercure}, {@code longpoll}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
