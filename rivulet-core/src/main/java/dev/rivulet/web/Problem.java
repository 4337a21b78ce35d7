package dev.rivulet.web;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.PayloadTooLargeException;
import dev.rivulet.hub.UnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An RFC 9457 problem: the only shape an error leaves Rivulet in. {@code slug} names the problem
 * type, stable across releases ({@code urn:rivulet:problem:<slug>}); {@code detail} says what was
 * wrong in words, never with a stack trace or the raw input. {@code retryAfter}, when not null, is
 * sent as {@code Retry-After} (whole seconds, rounded up): the request may succeed then.
 */
public record Problem(int status, String slug, String title, String detail, Duration retryAfter) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    /** A limit refused the request (503 at a connection limit or while draining, 429 past the publish rate). */
    public static Problem of(Refusal refusal) {
        return new Problem(refusal.status(), refusal.slug(), refusal.title(), refusal.getMessage(), refusal.retryAfter());
    }

    /** Who sent the request may not do what it asks (401 without a valid token, 403 beyond its claims). */
    public static Problem of(AccessDenied denied) {
        return new Problem(denied.status(), denied.slug(), denied.title(), denied.getMessage());
    }

    /** The node cannot take the request now: it drains for shutdown, or its broker is unreachable. */
    public static Problem of(UnavailableException unavailable) {
        return new Problem(503, unavailable.problem(), unavailable.title(), unavailable.getMessage(),
                unavailable.retryAfter());
    }

    public static Problem of(InvalidInputException e) {
        if (e instanceof PayloadTooLargeException) {
            return new Problem(413, e.problem(), "Payload too large", e.getMessage());
        }
        return new Problem(400, e.problem(), "Bad request", e.getMessage());
    }

    public static Problem badRequest(String slug, String detail) {
        return new Problem(400, slug, "Bad request", detail);
    }

    /** The problem for an HTTP error the platform raised (no route, wrong method, refused URI). */
    public static Problem forStatus(int status) {
        return switch (status) {
            case 400 -> badRequest("bad-request", "the request is malformed: its path or query is not validly"
                    + " percent-encoded UTF-8, or the path holds an encoded '/', '.', '#', '\\' or control character");
            case 404 -> new Problem(404, "not-found", "Not found", "no resource at this path");
            case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", "this path does not accept that method");
            case 406 -> new Problem(406, "not-acceptable", "Not acceptable", "no representation matches the Accept header");
            case 415 -> new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "the body must be sent as application/json");
            default -> status >= 500
                    ? new Problem(500, "internal-error", "Internal server error",
                            "the server could not handle the request; the failure has been logged")
                    : new Problem(status, "http-" + status, "Request refused", "the request was refused");
        };
    }

    public String type() {
        return "urn:rivulet:problem:" + slug;
    }

    public String toJson() {
        return "{\"type\":" + JsonText.quote(type())
                + ",\"title\":" + JsonText.quote(title)
                + ",\"status\":" + status
                + ",\"detail\":" + JsonText.quote(detail) + "}";
    }

    /** Retry-After in whole seconds, at least 1; null when there is none. */
    public String retryAfterHeader() {
        if (retryAfter == null) {
            return null;
        }
        long millis = Math.max(retryAfter.toMillis(), 1);
        return Long.toString((millis + 999) / 1000);
    }

    /** The challenge a 401 carries (RFC 6750): what kind of credentials the hub takes; null for other statuses. */
    public String challengeHeader() {
        if (status != 401) {
            return null;
        }
        return slug.equals("invalid-token") ? "Bearer realm=\"rivulet\", error=\"invalid_token\"" : "Bearer realm=\"rivulet\"";
    }

    public Response toResponse() {
        Response.ResponseBuilder r = Response.status(status).type(MEDIA_TYPE).entity(toJson());
        if (retryAfter != null) {
            r.header("Retry-After", retryAfterHeader());
        }
        if (status == 401) {
            r.header("WWW-Authenticate", challengeHeader());
        }
        return r.build();
    }

    /** Writes the problem as the whole response, for code outside JAX-RS (filters, servlets). */
    public void write(HttpServletResponse response) throws IOException {
        byte[] body = toJson().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(MEDIA_TYPE);
        if (retryAfter != null) {
            response.setHeader("Retry-After", retryAfterHeader());
        }
        if (status == 401) {
            response.setHeader("WWW-Authenticate", challengeHeader());
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
