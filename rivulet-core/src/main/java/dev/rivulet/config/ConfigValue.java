package dev.rivulet.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Reads one configuration value and checks it against its accepted range. A value outside it
 * stops startup with a message that names the key, the accepted range and what was given.
 */
public final class ConfigValue {

    private ConfigValue() {
    }

    public static int intIn(String key, String raw, int min, int max) {
        return (int) longIn(key, raw, min, max);
    }

    public static long longIn(String key, String raw, long min, long max) {
        try {
            long v = Long.parseLong(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the range
        }
        throw invalid(key, raw, "a whole number from " + min + " to " + max);
    }

    public static Duration durationIn(String key, String raw, Duration min, Duration max) {
        try {
            Duration d = Duration.parse(raw.trim());
            if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below with the range
        }
        throw invalid(key, raw, "an ISO-8601 duration from " + min + " to " + max + " (for example PT15S)");
    }

    public static boolean bool(String key, String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, raw, "true or false");
        };
    }

    public static IllegalArgumentException invalid(String key, String raw, String accepted) {
        String shown = raw.length() > 80 ? raw.substring(0, 80) + "…" : raw;
        return new IllegalArgumentException(
                "Invalid configuration: " + key + " must be " + accepted + ", but was '" + shown + "'");
    }
}
