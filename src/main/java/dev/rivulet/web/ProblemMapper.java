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
                return Problem.forStatus(status).toResponse();
            }
        }
        LOG.log(Level.SEVERE, "Request failed", error);
        return Problem.forStatus(500).toResponse();
    }
}
