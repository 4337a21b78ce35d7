package dev.rivulet.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Holds every REST request (publish, history, log ingest) to the parameter limit the streams
 * keep through {@link QueryString}. It counts the raw query only: asking the container for the
 * parameters could read a form body the resource has yet to refuse.
 */
@Provider
@PreMatching
public class QueryStringFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        QueryString.checkCount(request.getUriInfo().getRequestUri().getRawQuery());
    }
}
