package dev.rivulet.web;

import dev.rivulet.hub.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A request's query parameters, where a query the container cannot decode, or one with more
 * parameters than any request of ours needs, is the client's error.
 */
public final class QueryString {

    /** The most parameters a query may carry; far below the container's own limit of 10,000. */
    public static final int MAX_PARAMETERS = 1000;

    private QueryString() {
    }

    /**
     * The decoded parameters, decoded as UTF-8 (RFC 3986) rather than the servlet default of
     * ISO-8859-1, so {@code ?topic=caf%C3%A9} names the same topic as the path {@code /café}.
     * Call it before any other parameter lookup: the container decodes a query once.
     */
    public static Map<String, String[]> parameters(HttpServletRequest request) {
        try {
            if (request.getCharacterEncoding() == null) {
                request.setCharacterEncoding(StandardCharsets.UTF_8.name());
            }
        } catch (UnsupportedEncodingException impossible) {
            throw new IllegalStateException(impossible);
        }
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

    /**
     * Refuses a query ({@code null} for none) with more than {@link #MAX_PARAMETERS} parameters. The
     * access filter applies it to every API and WebSocket request before anything reads the query.
     */
    public static void checkCount(String query) {
        if (query != null && count(query) > MAX_PARAMETERS) {
            throw new InvalidInputException("too-many-parameters",
                    "a request may carry at most " + MAX_PARAMETERS + " query parameters");
        }
    }

    private static int count(String query) {
        int n = 1;
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '&') {
                n++;
            }
        }
        return n;
    }
}
