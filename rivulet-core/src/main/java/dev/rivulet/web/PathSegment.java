package dev.rivulet.web;

import dev.rivulet.hub.InvalidInputException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A topic or room name as it stands in a request path, percent-encoded. */
public final class PathSegment {

    private PathSegment() {
    }

    /** Percent-decodes {@code raw}; unlike form decoding, '+' stays '+'. */
    public static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("invalid-topic", "the topic in the path is not validly percent-encoded");
        }
    }
}
