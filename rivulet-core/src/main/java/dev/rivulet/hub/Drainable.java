package dev.rivulet.hub;

import java.util.function.Supplier;

/**
 * A transport's open connections, as a shutdown sees them. Every transport (SSE and NDJSON streams,
 * WebSocket chat) implements it on an application-scoped bean; the shutdown coordinator
 * finds them all and drains them together.
 */
public interface Drainable {

    /**
     * Tells every open connection to leave, and returns at once: each writes what it already has,
     * then its own {@code farewell.get()} (a {@code shutdown} notice with a jittered reconnect hint;
     * a WebSocket then closes with 1001), then closes. Connections that open later leave the same way.
     */
    void drain(Supplier<ControlEvent> farewell);

    /** Connections still open. */
    int openConnections();

    /** Closes every connection still open, without a goodbye: the grace has run out. */
    void forceClose();
}
