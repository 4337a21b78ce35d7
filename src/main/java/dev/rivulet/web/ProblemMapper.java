package dev.rivulet.web;

import dev.rivulet.hub.InvalidInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every exception a REST endpoint throws into a problem+json answer without internals. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof InvalidInputException invalid) {
            return Problem.of(invalid).toResponse();
        }
        if (error instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            if (status < 500) {
                return forStatus(status).toResponse();
            }
        }
        LOG.log(Level.SEVERE, "Request failed", error);
        return new Problem(500, "internal-error", "Internal server error",
                "the server could not handle the request; the failure has been logged").toResponse();
    }

    private static Problem forStatus(int status) {
        return switch (status) {
            case 400 -> Problem.badRequest("bad-request", "the request is malformed");
            case 404 -> new Problem(404, "not-found", "Not found", "no resource at this path");
            case 405 -> new Problem(405, "method-not-allowed", "Method not allowed", "this path does not accept that method");
            case 406 -> new Problem(406, "not-acceptable", "Not acceptable", "no representation matches the Accept header");
            case 415 -> new Problem(415, "unsupported-media-type", "Unsupported media type",
                    "the body must be sent as application/json");
            default -> new Problem(status, "http-" + status, "Request refused", "the request was refused");
        };
    }
}
