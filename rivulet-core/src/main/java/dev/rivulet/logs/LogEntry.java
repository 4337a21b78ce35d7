package dev.rivulet.logs;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One stored log line. {@code fields} holds the entry's other members as a compact JSON object
 * text (null when there are none); on the wire they sit beside the named ones, so what a program
 * sends is what it gets back, plus the id:
 * {@code {"id":"7","time":"…","level":"info","service":"api","message":"…","user":"bob"}}.
 */
public record LogEntry(long id, Instant time, LogLevel level, String service, String message, String fields) {

    public static final int SERVICE_MAX_LENGTH = 128;

    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9._-]{1," + SERVICE_MAX_LENGTH + "}");
    private static final Set<String> NAMED = Set.of("id", "time", "level", "service", "message");
    /** RFC 3339: a date, 'T', a time and an offset ('Z' or ±hh:mm), letters in either case; no 30 February. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** The same entry with the id the store gave it. */
    public LogEntry withId(long newId) {
        return new LogEntry(newId, time, level, service, message, fields);
    }

    /** The topic live subscribers of this entry's service follow. */
    public String topic() {
        return topicOf(service);
    }

    public static String topicOf(String service) {
        return "logs/" + service;
    }

    /** The entry as one line of JSON, without the line break. */
    public String toJson() {
        return appendJson(new StringBuilder(96 + message.length() + (fields == null ? 0 : fields.length()))).toString();
    }

    /** Appends the entry as one line of JSON, without the line break, to {@code b}. */
    public StringBuilder appendJson(StringBuilder b) {
        b.append("{\"id\":\"").append(id)
                .append("\",\"time\":\"").append(time)
                .append("\",\"level\":\"").append(level.text())
                .append("\",\"service\":");
        quote(service, b);
        b.append(",\"message\":");
        quote(message, b);
        if (fields != null) {
            b.append(',').append(fields, 1, fields.length() - 1);
        }
        return b.append('}');
    }

    /** A JSON string: as it is when nothing in it needs escaping (the common case), else as JsonText escapes it. */
    private static void quote(String s, StringBuilder b) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
                b.append(JsonText.quote(s));
                return;
            }
        }
        b.append('"').append(s).append('"');
    }

    /**
     * An entry from one JSON object as a program sends it: {@code level}, {@code service} and
     * {@code message} are required, {@code time} defaults to {@code now}, an {@code id} is ignored
     * (the store assigns ids, so an export can be sent again), and every other member is kept.
     * Throws {@link InvalidInputException} saying what is wrong, without echoing the input.
     */
    public static LogEntry fromJson(JsonObject o, Instant now) {
        LogLevel level = LogLevel.parse(requiredString(o, "level"))
                .orElseThrow(() -> invalid("unknown \"level\"; use one of " + LogLevel.NAMES));
        String service = requiredString(o, "service");
        if (!isValidService(service)) {
            throw invalid("\"service\" must be " + SERVICE_RULE);
        }
        String message = requiredString(o, "message");
        Instant time = now;
        JsonValue t = o.get("time");
        if (t != null && t.getValueType() != JsonValue.ValueType.NULL) {
            if (!(t instanceof JsonString s)) {
                throw invalid("\"time\" must be an RFC 3339 timestamp string");
            }
            time = parseTime(s.getString())
                    .orElseThrow(() -> invalid("\"time\" is not an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)"));
        }
        return new LogEntry(0, time.truncatedTo(ChronoUnit.MICROS), level, service, message, otherFields(o));
    }

    /**
     * One NDJSON line as an entry, as {@link #fromJson} reads it; throws
     * {@link InvalidInputException} saying what is wrong with the line.
     */
    public static LogEntry fromLine(String line, Instant now) {
        JsonValue value;
        try (JsonParser parser = JsonText.parser(line)) {
            parser.next();
            value = parser.getValue();
            if (parser.hasNext()) {
                throw invalid("more text follows the JSON object; put one entry a line");
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid(JsonText.failure(e));
        }
        if (!(value instanceof JsonObject object)) {
            throw invalid("a line must be one JSON object");
        }
        return fromJson(object, now);
    }

    /** An entry as {@link #toJson} wrote it, id included. */
    static LogEntry fromStoredJson(String json) {
        JsonObject o;
        try (JsonReader reader = JsonText.reader(json)) {
            o = reader.readObject();
        }
        return fromJson(o, Instant.EPOCH).withId(Long.parseLong(o.getString("id")));
    }

    /** Parses an RFC 3339 timestamp between the years 1 and 9999. */
    public static Optional<Instant> parseTime(String text) {
        try {
            Instant t = OffsetDateTime.parse(text, RFC_3339).toInstant();
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                return Optional.empty();
            }
            return Optional.of(t);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** What a service name may be, for messages. */
    public static final String SERVICE_RULE = "1 to " + SERVICE_MAX_LENGTH + " letters, digits, '.', '_' or '-'";

    public static boolean isValidService(String service) {
        return SERVICE.matcher(service).matches();
    }

    private static String requiredString(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            throw invalid("missing \"" + name + "\"");
        }
        if (!(v instanceof JsonString s)) {
            throw invalid("\"" + name + "\" must be a string");
        }
        return s.getString();
    }

    private static String otherFields(JsonObject o) {
        if (o.size() <= NAMED.size() && NAMED.containsAll(o.keySet())) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonValue> member : o.entrySet()) {
            if (NAMED.contains(member.getKey())) {
                continue;
            }
            b.append(b.length() == 0 ? '{' : ',')
                    .append(JsonText.quote(member.getKey())).append(':').append(member.getValue());
        }
        return b.length() == 0 ? null : b.append('}').toString();
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("invalid-log-entry", message);
    }
}
