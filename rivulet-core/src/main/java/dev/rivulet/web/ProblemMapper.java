package dev.rivulet.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns every exception a REST endpoint throws into a problem+json answer without internals. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    @Inject
    Refusals refusals;

    @Override
    public Response toResponse(Throwable error) {
        return refusals.problemFor(error).toResponse();
    }
}
