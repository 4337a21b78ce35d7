package dev.rivulet.hub;

import java.time.Duration;

/**
 * This node cannot take the request now, through no fault of the client's: it is draining, or the
 * broker cannot be reached. Nothing was accepted; the same request may succeed after
 * {@link #retryAfter}. Answered as a 503 problem named {@link #problem}.
 */
public abstract class UnavailableException extends RuntimeException {

    private final String problem;
    private final String title;
    private final Duration retryAfter;

    protected UnavailableException(String problem, String title, String message, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.problem = problem;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** The problem's name, for example {@code draining}. */
    public String problem() {
        return problem;
    }

    public String title() {
        return title;
    }

    /** When the client should try again (reaching another node, or this one when it can). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
