package dev.rivulet.web;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Traffic;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every exception a REST endpoint throws into a problem+json answer without internals. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Inject
    Traffic traffic;

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof Refusal refusal) {
            // The gate counted it when it refused.
            return Problem.of(refusal).toResponse();
        }
        if (error instanceof AccessDenied denied) {
            return rejected(Problem.of(denied));
        }
        if (error instanceof InvalidInputException invalid) {
            return rejected(Problem.of(invalid));
        }
        if (error instanceof DrainingException draining) {
            return rejected(Problem.of(draining));
        }
        if (error instanceof IOException broken) {
            // Reading the request failed: the client stalled past httpOptions readTimeout, or its
            // connection broke off. Its own doing, so no SEVERE log line for anyone to provoke.
            LOG.log(Level.FINE, "Request body unreadable", broken);
            return rejected(broken instanceof SocketTimeoutException
                    ? new Problem(408, "request-timeout", "Request timeout",
                            "the request did not arrive within the server's read timeout")
                    : Problem.badRequest("invalid-body", "the request body could not be read: the connection broke off"));
        }
        if (error instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status < 500) {
                return rejected(Problem.forStatus(status));
            }
        }
        LOG.log(Level.SEVERE, "Request failed", error);
        return Problem.forStatus(500).toResponse();
    }

    private Response rejected(Problem problem) {
        traffic.rejected(problem.slug());
        return problem.toResponse();
    }
}
