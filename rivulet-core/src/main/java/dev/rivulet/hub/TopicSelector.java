package dev.rivulet.hub;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which topics a subscription covers: one exact topic name, a URI template
 * ({@code https://example.com/books/{id}}), or {@code *} for every topic.
 *
 * <p>Templates follow RFC 6570 for matching: {@code {var}} matches one non-empty segment
 * (no {@code /}, {@code ?} or {@code #}); {@code {+var}} and {@code {#var}} match any non-empty text.
 */
public final class TopicSelector {

    private static final Pattern EXPRESSION = Pattern.compile("\\{([+#]?)([A-Za-z0-9_.%,*:]+)}");

    private final String text;
    private final Pattern template;

    private TopicSelector(String text, Pattern template) {
        this.text = text;
        this.template = template;
    }

    public static TopicSelector parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidInputException("invalid-selector", "a topic selector is empty");
        }
        if (text.length() > Names.TOPIC_MAX_LENGTH) {
            throw new InvalidInputException("invalid-selector",
                    "a topic selector is longer than " + Names.TOPIC_MAX_LENGTH + " characters");
        }
        if (Names.hasControl(text)) {
            throw new InvalidInputException("invalid-selector", "a topic selector contains a control character");
        }
        if (Names.hasUndecodable(text)) {
            throw new InvalidInputException("invalid-selector", Names.UNDECODABLE);
        }
        if (Names.hasDotSegment(text)) {
            throw new InvalidInputException("invalid-selector", Names.DOT_SEGMENT);
        }
        if (text.equals("*")) {
            return new TopicSelector(text, null);
        }
        if (text.indexOf('{') < 0 && text.indexOf('}') < 0) {
            return new TopicSelector(text, null);
        }
        return new TopicSelector(text, compile(text));
    }

    private static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = EXPRESSION.matcher(template);
        int last = 0;
        while (m.find()) {
            literal(template.substring(last, m.start()), regex);
            regex.append(m.group(1).isEmpty() ? "[^/?#]+" : ".+");
            last = m.end();
        }
        literal(template.substring(last), regex);
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void literal(String part, StringBuilder regex) {
        if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
            throw new InvalidInputException("invalid-selector", "a URI template has an unbalanced or malformed {expression}");
        }
        if (!part.isEmpty()) {
            regex.append(Pattern.quote(part));
        }
    }

    /** True when any of {@code selectors} matches {@code topic}. */
    public static boolean anyMatches(List<TopicSelector> selectors, String topic) {
        for (TopicSelector s : selectors) {
            if (s.matches(topic)) {
                return true;
            }
        }
        return false;
    }

    public boolean matches(String topic) {
        if (template != null) {
            return template.matcher(topic).matches();
        }
        return isWildcard() || text.equals(topic);
    }

    /** True when this selector names exactly one topic. */
    public boolean isExact() {
        return template == null && !isWildcard();
    }

    public boolean isWildcard() {
        return template == null && text.equals("*");
    }

    /** The selector as written; for an exact selector, the topic. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSelector other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
