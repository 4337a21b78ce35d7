package dev.rivulet.hub;

import java.time.Duration;

/**
 * The broker cannot be reached: the event was not accepted (or the stream not opened), and nothing
 * of it is kept. Publish again after {@link #retryAfter}.
 */
public class BrokerUnavailableException extends UnavailableException {

    /** What a client refused for want of the broker is told to wait. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    public BrokerUnavailableException(String what, Throwable cause) {
        super("broker-unavailable", "Broker unavailable",
                "the broker cannot be reached (" + what + "); nothing was accepted, try again after the Retry-After",
                RETRY_AFTER, cause);
    }
}
