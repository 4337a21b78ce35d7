package dev.rivulet.it;

/**
 * One field line of an SSE frame as an {@code EventSource} reads it: the name before the first
 * colon (the whole line without one), the value after it with one leading space removed.
 */
public record SseField(String name, String value) {

    public static SseField parse(String line) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        return new SseField(name, value.startsWith(" ") ? value.substring(1) : value);
    }
}
