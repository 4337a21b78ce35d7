package dev.rivulet.hub;

import java.util.Set;

/**
 * The rules for topic names and event types. A rule broken is an {@link InvalidInputException}
 * whose message says which rule, never the offending text (it may be hostile).
 */
public final class Names {

    public static final int TOPIC_MAX_LENGTH = 1024;
    public static final int TYPE_MAX_LENGTH = 128;

    /** Types the hub sends itself; a publisher may not forge them. */
    public static final Set<String> RESERVED_TYPES = Set.of("open", "keep-alive", "gap", "lagged", "shutdown");

    /** Why a name with U+FFFD is refused: it is what bytes that were not UTF-8 decode to. */
    static final String UNDECODABLE = "the name is not valid UTF-8 (it contains U+FFFD, which undecodable bytes become)";

    /** Why a name with a . or .. segment is refused. */
    static final String DOT_SEGMENT = "a name may not have a '.' or '..' segment: clients and proxies collapse them in URLs,"
            + " so it would name a different topic at each hop";

    private Names() {
    }

    /**
     * A topic is 1 to 1024 characters with no control characters, no U+FFFD, no braces (they mark
     * URI templates in selectors), no {@code .} or {@code ..} segment, and is not {@code *} (the
     * selector for every topic).
     */
    public static String checkTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new InvalidInputException("invalid-topic", "the topic is empty");
        }
        if (topic.length() > TOPIC_MAX_LENGTH) {
            throw new InvalidInputException("invalid-topic", "the topic is longer than " + TOPIC_MAX_LENGTH + " characters");
        }
        if (hasControl(topic)) {
            throw new InvalidInputException("invalid-topic", "the topic contains a control character");
        }
        if (hasUndecodable(topic)) {
            throw new InvalidInputException("invalid-topic", UNDECODABLE);
        }
        if (hasDotSegment(topic)) {
            throw new InvalidInputException("invalid-topic", DOT_SEGMENT);
        }
        if (topic.indexOf('{') >= 0 || topic.indexOf('}') >= 0 || topic.equals("*")) {
            throw new InvalidInputException("invalid-topic",
                    "a topic may not contain { or } and may not be *: those mark selectors");
        }
        return topic;
    }

    /**
     * A type is 1 to 128 characters with no control characters, white space or U+FFFD, and is not
     * one of the reserved control types. Absent means {@value Event#DEFAULT_TYPE}.
     */
    public static String checkType(String type) {
        if (type == null) {
            return Event.DEFAULT_TYPE;
        }
        if (type.isEmpty() || type.length() > TYPE_MAX_LENGTH) {
            throw new InvalidInputException("invalid-type", "the event type must be 1 to " + TYPE_MAX_LENGTH + " characters");
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new InvalidInputException("invalid-type", "the event type contains a control or white-space character");
            }
        }
        if (hasUndecodable(type)) {
            throw new InvalidInputException("invalid-type", UNDECODABLE);
        }
        if (RESERVED_TYPES.contains(type)) {
            throw new InvalidInputException("invalid-type",
                    "the event type '" + type + "' is reserved for the hub's control events");
        }
        return type;
    }

    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                return true;
            }
        }
        return false;
    }

    /** U+FFFD in a name means the client's bytes were not UTF-8 where a decoder replaced them. */
    public static boolean hasUndecodable(String s) {
        return s.indexOf('\uFFFD') >= 0;
    }

    /** True when a '/'-separated segment is exactly "." or "..", as RFC 3986 removes them from paths. */
    static boolean hasDotSegment(String s) {
        for (String segment : s.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
