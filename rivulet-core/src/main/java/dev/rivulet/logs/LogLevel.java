package dev.rivulet.logs;

import java.util.Locale;
import java.util.Optional;

/**
 * How severe a log entry is, least to most. Stored as its {@link #severity} so that "at least
 * warn" is a range a database index can serve; written as its lower-case name.
 */
public enum LogLevel {
    TRACE(1), DEBUG(2), INFO(3), WARN(4), ERROR(5), FATAL(6);

    /** The accepted names, for messages that list them. */
    public static final String NAMES = "trace, debug, info, warn, error, fatal";

    private final int severity;
    private final String text;

    LogLevel(int severity) {
        this.severity = severity;
        this.text = name().toLowerCase(Locale.ROOT);
    }

    public int severity() {
        return severity;
    }

    /** The name as it is written: {@code info}, {@code warn}. */
    public String text() {
        return text;
    }

    /**
     * The level named by {@code name}, ignoring case. {@code warning} and {@code critical} are
     * accepted for {@code warn} and {@code fatal}, the spellings of Python's and syslog's loggers.
     */
    public static Optional<LogLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "trace" -> Optional.of(TRACE);
            case "debug" -> Optional.of(DEBUG);
            case "info" -> Optional.of(INFO);
            case "warn", "warning" -> Optional.of(WARN);
            case "error" -> Optional.of(ERROR);
            case "fatal", "critical" -> Optional.of(FATAL);
            default -> Optional.empty();
        };
    }

    public static LogLevel ofSeverity(int severity) {
        for (LogLevel l : values()) {
            if (l.severity == severity) {
                return l;
            }
        }
        throw new IllegalArgumentException("no log level has severity " + severity);
    }
}
