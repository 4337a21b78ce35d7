package dev.rivulet.hub;

import java.time.Duration;

/** The node is draining for shutdown and accepts no more events; publish to another node, or retry. */
public class DrainingException extends UnavailableException {

    public DrainingException(Duration retryAfter) {
        super("draining", "Shutting down", "this node is shutting down and accepts no new events or streams",
                retryAfter, null);
    }
}
