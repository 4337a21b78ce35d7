package dev.rivulet.it.topics;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.SseField;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of a subscription stream, SSE frame or NDJSON line, with what arrived on the wire
 * ({@link #lines}) kept for tests that check the exact framing.
 *
 * @param kind  what the message is
 * @param id    the event id (or, for {@link Kind#OPEN}, the opening cursor); null for control messages
 * @param type  the event or control type; null for OPEN and KEEP_ALIVE
 * @param topic the event's topic (NDJSON only; null for SSE)
 * @param data  the data as sent (JSON text); null when there is none
 * @param lines the raw lines of the SSE frame (without the blank line ending it), or the one NDJSON line
 */
public record StreamMessage(Kind kind, String id, String type, String topic, String data, List<String> lines) {

    enum Kind {
        /** The first message: the cursor the stream starts after. */
        OPEN,
        /** A published event. */
        EVENT,
        /** A message from the hub itself: gap, lagged, shutdown. */
        CONTROL,
        /** A keep-alive comment or line. */
        KEEP_ALIVE,
        /** Anything this client cannot classify; tests treat it as a protocol violation. */
        OTHER
    }

    public boolean isEvent() {
        return kind == Kind.EVENT;
    }

    public boolean isKeepAlive() {
        return kind == Kind.KEEP_ALIVE;
    }

    public boolean isControl(String controlType) {
        return kind == Kind.CONTROL && controlType.equals(type);
    }

    /** The SSE {@code retry:} value of this frame, or null when it has none. */
    public String retry() {
        for (String line : lines) {
            if (line.startsWith("retry:")) {
                return line.substring("retry:".length()).trim();
            }
        }
        return null;
    }

    /** The data parsed as JSON. */
    public JsonValue json() {
        if (data == null) {
            throw new AssertionError("message has no data: " + this);
        }
        return HubServer.json(data);
    }

    /** Parses one SSE frame: the lines up to (not including) the blank line that ended it. */
    static StreamMessage fromSseFrame(List<String> lines) {
        String id = null;
        String event = null;
        List<String> data = new ArrayList<>();
        boolean onlyComments = true;
        boolean unknownField = false;
        for (String line : lines) {
            if (line.startsWith(":")) {
                continue;
            }
            onlyComments = false;
            SseField f = SseField.parse(line);
            String value = f.value();
            switch (f.name()) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data.add(value);
                case "retry" -> {
                    // the reconnection delay: kept in lines, see retry()
                }
                default -> unknownField = true;
            }
        }
        String joined = data.isEmpty() ? null : String.join("\n", data);
        Kind kind;
        if (onlyComments) {
            boolean keepAlive = lines.size() == 1 && lines.get(0).equals(": keep-alive");
            kind = keepAlive ? Kind.KEEP_ALIVE : Kind.OTHER;
        } else if (unknownField) {
            kind = Kind.OTHER;
        } else if (id != null && event == null && joined == null) {
            kind = Kind.OPEN;
        } else if (id != null && joined != null) {
            kind = Kind.EVENT;
        } else if (id == null && event != null && joined != null) {
            kind = Kind.CONTROL;
        } else {
            kind = Kind.OTHER;
        }
        String type = kind == Kind.EVENT && event == null ? "message" : event;
        return new StreamMessage(kind, id, kind == Kind.OPEN ? null : type, null, joined, List.copyOf(lines));
    }

    /** Parses one NDJSON line. A line that is not a JSON object is {@link Kind#OTHER}. */
    static StreamMessage fromNdjsonLine(String line) {
        JsonObject o;
        try {
            o = HubServer.json(line).asJsonObject();
        } catch (RuntimeException notJson) {
            return new StreamMessage(Kind.OTHER, null, null, null, null, List.of(line));
        }
        String type = o.containsKey("type") && o.get("type").getValueType() == JsonValue.ValueType.STRING
                ? o.getString("type") : null;
        String id = o.containsKey("id") && o.get("id").getValueType() == JsonValue.ValueType.STRING
                ? o.getString("id") : null;
        String data = o.containsKey("data") ? o.get("data").toString() : null;
        Kind kind;
        if (o.containsKey("topic")) {
            kind = id != null && type != null && data != null ? Kind.EVENT : Kind.OTHER;
            return new StreamMessage(kind, id, type, o.getString("topic", null), data, List.of(line));
        }
        if ("open".equals(type)) {
            kind = id != null ? Kind.OPEN : Kind.OTHER;
            return new StreamMessage(kind, id, null, null, null, List.of(line));
        }
        if ("keep-alive".equals(type)) {
            return new StreamMessage(Kind.KEEP_ALIVE, null, null, null, null, List.of(line));
        }
        kind = type != null && id == null ? Kind.CONTROL : Kind.OTHER;
        return new StreamMessage(kind, id, type, null, data, List.of(line));
    }
}
