package dev.rivulet.logs;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.QueryString;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@code GET /api/logs} asks for: which entries (service, minimum level, time range, text
 * in the message), where to start ({@code after} an id), how many, and whether to keep following.
 * Built from the request's parameters, each checked, so a bad one is a 400 before anything runs.
 *
 * @param services entries of any of these services; empty for every service
 * @param minLevel entries at this level or above; null for every level
 * @param since    entries whose time is at or after this; null for no bound
 * @param until    entries whose time is before this; null for no bound
 * @param text     entries whose message contains this text; null for any message
 * @param after    entries with an id above this (0 for all)
 * @param limit    at most this many entries; -1 for no limit
 * @param follow   after the stored entries, keep the stream open for new ones
 */
public record LogQuery(List<String> services, LogLevel minLevel, Instant since, Instant until, String text,
                       long after, long limit, boolean follow) {

    public static final long NO_LIMIT = -1;
    /** The filters, and the token a browser's EventSource can only send in the URL (read by the access filter). */
    private static final Set<String> PARAMETERS = Set.of("service", "level", "since", "until", "q", "limit", "after", "follow",
            Credentials.QUERY_PARAMETER);

    public LogQuery {
        services = List.copyOf(services);
    }

    /** Every entry, from the start, once. */
    public static LogQuery all() {
        return new LogQuery(List.of(), null, null, null, null, 0, NO_LIMIT, false);
    }

    /** The same filters, from a later starting point, for at most {@code remaining} more entries. */
    public LogQuery resumed(long afterId, long remaining) {
        return new LogQuery(services, minLevel, since, until, text, afterId, remaining, follow);
    }

    /**
     * Reads the query parameters. {@code lastEventId}, the header a browser's EventSource sends
     * when it reconnects, is newer than the URL's {@code after} and wins over it.
     */
    public static LogQuery parse(Map<String, String[]> parameters, String lastEventId) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new InvalidInputException("invalid-parameter", "unknown parameter '" + shorten(name)
                        + "'; use service, level, since, until, q, limit, after or follow");
            }
        }
        List<String> services = new ArrayList<>();
        String[] named = parameters.get("service");
        if (named != null) {
            for (String s : named) {
                if (!LogEntry.isValidService(s)) {
                    throw new InvalidInputException("invalid-service", "service must be " + LogEntry.SERVICE_RULE);
                }
                services.add(s);
            }
        }
        String levelText = single(parameters, "level");
        LogLevel level = null;
        if (levelText != null) {
            level = LogLevel.parse(levelText).orElseThrow(() -> new InvalidInputException("invalid-level",
                    "level must be one of " + LogLevel.NAMES));
        }
        Instant since = time(parameters, "since");
        Instant until = time(parameters, "until");
        if (since != null && until != null && !since.isBefore(until)) {
            throw new InvalidInputException("invalid-time", "since must be before until");
        }
        String text = single(parameters, "q");
        if (text != null && text.isEmpty()) {
            text = null;
        }
        long limit = whole(single(parameters, "limit"), NO_LIMIT, "invalid-limit",
                "limit must be a whole number of at least 0");
        String afterText = lastEventId != null && !lastEventId.isBlank() ? lastEventId.trim() : single(parameters, "after");
        long after = whole(afterText, 0, "invalid-id", "after (or Last-Event-ID) must be an entry id: a whole number of at least 0");
        boolean follow = QueryString.flag("follow", single(parameters, "follow"));
        return new LogQuery(services, level, since, until, text, after, limit, follow);
    }

    /** True when a live entry belongs in this query's answer (its id is checked elsewhere). */
    public boolean matches(LogEntry e) {
        return (services.isEmpty() || services.contains(e.service()))
                && (minLevel == null || e.level().severity() >= minLevel.severity())
                && (since == null || !e.time().isBefore(since))
                && (until == null || e.time().isBefore(until))
                && (text == null || e.message().contains(text));
    }

    /** The hub topics that carry this query's live entries. */
    public List<TopicSelector> selectors() {
        if (services.isEmpty()) {
            return List.of(TopicSelector.parse(LogEntry.topicOf("{service}")));
        }
        return services.stream().distinct().map(s -> TopicSelector.parse(LogEntry.topicOf(s))).toList();
    }

    public boolean limited() {
        return limit != NO_LIMIT;
    }

    private static String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0) {
            return null;
        }
        if (values.length > 1) {
            throw new InvalidInputException("invalid-parameter", name + " may be given once");
        }
        return values[0];
    }

    private static Instant time(Map<String, String[]> parameters, String name) {
        String text = single(parameters, name);
        if (text == null) {
            return null;
        }
        return LogEntry.parseTime(text.trim()).orElseThrow(() -> new InvalidInputException("invalid-time",
                name + " must be an RFC 3339 timestamp, for example 2024-05-01T12:00:00Z"));
    }

    private static long whole(String text, long absent, String slug, String message) {
        if (text == null) {
            return absent;
        }
        String t = text.trim();
        if (t.isEmpty() || t.length() > 19 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidInputException(slug, message);
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException tooLarge) {
            throw new InvalidInputException(slug, message);
        }
    }

    private static String shorten(String s) {
        String visible = s.replaceAll("\\p{Cntrl}", "?");
        return visible.length() > 40 ? visible.substring(0, 40) + "…" : visible;
    }
}
