package dev.rivulet.gate;

import java.time.Duration;

/**
 * A request the gate turns away for a limit, not for its content: the client may try again after
 * {@code retryAfter}. {@code status} is the HTTP status (503, 429); {@code slug} the stable problem
 * type, which is also the reason in the rejected-requests metric. A WebSocket handshake gets the
 * same answer, before the upgrade (see {@code chat.ChatAdmission}).
 */
public class Refusal extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final Duration retryAfter;

    public Refusal(int status, String slug, String title, String detail, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
