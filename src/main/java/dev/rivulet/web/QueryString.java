package dev.rivulet.web;

import dev.rivulet.hub.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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

    /**
     * A true-or-false parameter: absent or {@code false} is false; {@code true} or a bare
     * {@code ?name} is true; anything else is an {@code invalid-parameter} problem.
     */
    public static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.isEmpty() || value.equals("true")) {
            return true;
        }
        throw new InvalidInputException("invalid-parameter", name + " must be true or false");
    }

    /**
     * The first value of {@code name} in the query string alone, or null. Unlike the container's
     * parameters this never reads a form body, so it is safe before the request reaches its resource.
     */
    public static String first(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        if (query == null) {
            return null;
        }
        String prefix = name + "=";
        for (String pair : query.split("&")) {
            if (pair.startsWith(prefix)) {
                try {
                    return URLDecoder.decode(pair.substring(prefix.length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    throw new InvalidInputException("invalid-parameter", name + " is not validly percent-encoded");
                }
            }
        }
        return null;
    }
}
