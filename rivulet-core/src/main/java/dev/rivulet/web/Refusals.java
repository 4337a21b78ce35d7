package dev.rivulet.web;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.UnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one way a request is refused. What the request did wrong (bad input, a token that does not
 * allow it, a limit, a draining node) becomes a problem document, and every one is counted in
 * {@code rivulet_requests_rejected_total} by its slug, here and nowhere else. Filters and servlets
 * answer with {@link #write}; JAX-RS resources throw, or return {@link #response}, and
 * {@link ProblemMapper} answers what they throw with {@link #problemFor}.
 */
@ApplicationScoped
public class Refusals {

    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());

    @Inject
    Traffic traffic;

    /**
     * The problem for {@code error}, counted when the request caused it; a failure of the server's
     * own is logged once, with its stack trace, and answered as a 500 that shows none of it.
     */
    public Problem problemFor(Throwable error) {
        Problem problem = refusalFor(error);
        if (problem == null) {
            LOG.log(Level.SEVERE, "Request failed", error);
            return Problem.forStatus(500);
        }
        traffic.rejected(problem.slug());
        return problem;
    }

    /** Counts {@code problem}, a refusal its caller chose, and answers it: for a resource that refuses without throwing. */
    public Response response(Problem problem) {
        traffic.rejected(problem.slug());
        return problem.toResponse();
    }

    /**
     * Answers the request with the problem for {@code error}, unless the response has begun (the
     * stream is then already the answer, and only the count is kept).
     */
    public void write(HttpServletResponse response, RuntimeException error) throws IOException {
        send(response, problemFor(error));
    }

    /** Counts {@code problem}, a refusal its caller chose, and answers the request with it. */
    public void write(HttpServletResponse response, Problem problem) throws IOException {
        traffic.rejected(problem.slug());
        send(response, problem);
    }

    private static void send(HttpServletResponse response, Problem problem) throws IOException {
        if (!response.isCommitted()) {
            problem.write(response);
        }
    }

    /** The problem for a failure the request caused, or null when it is the server's own. */
    static Problem refusalFor(Throwable error) {
        if (error instanceof Refusal refusal) {
            return Problem.of(refusal);
        }
        if (error instanceof AccessDenied denied) {
            return Problem.of(denied);
        }
        if (error instanceof InvalidInputException invalid) {
            return Problem.of(invalid);
        }
        if (error instanceof UnavailableException unavailable) {
            return Problem.of(unavailable);
        }
        if (error instanceof IOException broken) {
            // Reading the request failed: the client stalled past httpOptions readTimeout, or its
            // connection broke off. Its own doing, so no SEVERE log line for anyone to provoke.
            LOG.log(Level.FINE, "Request body unreadable", broken);
            return broken instanceof SocketTimeoutException
                    ? new Problem(408, "request-timeout", "Request timeout",
                            "the request did not arrive within the server's read timeout")
                    : Problem.badRequest("invalid-body", "the request body could not be read: the connection broke off");
        }
        if (error instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            return Problem.forStatus(web.getResponse().getStatus());
        }
        return null;
    }
}
