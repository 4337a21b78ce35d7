package dev.rivulet.web;

import dev.rivulet.hub.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;

/** A request's query parameters, where a query the container cannot decode is the client's error. */
public final class QueryString {

    private QueryString() {
    }

    /** The decoded parameters; an {@code invalid-parameter} problem when the query is not validly percent-encoded. */
    public static Map<String, String[]> parameters(HttpServletRequest request) {
        try {
            return request.getParameterMap();
        } catch (IllegalArgumentException malformed) {
            throw new InvalidInputException("invalid-parameter", "the query string is not validly percent-encoded");
        }
    }
}
