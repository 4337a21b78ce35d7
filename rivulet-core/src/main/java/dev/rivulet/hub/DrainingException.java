package dev.rivulet.hub;

import java.time.Duration;

/** The node is draining for shutdown and accepts no more events; publish to another node, or retry. */
public class DrainingException extends RuntimeException {

    private final Duration retryAfter;

    public DrainingException(Duration retryAfter) {
        super("this node is shutting down and accepts no new events or streams", null, false, false);
        this.retryAfter = retryAfter;
    }

    /** When the client should try again (reaching another node, or this one restarted). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
