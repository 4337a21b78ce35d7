package dev.rivulet.chat;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Outbound;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON text frames the server sends. Frames for a room's events are rebuilt from the fields
 * chat understands rather than copied from the event's data, so nothing published to the topic
 * (over HTTP, say) can add or override a member of a frame.
 */
final class ChatFrames {

    private ChatFrames() {
    }

    /** The first frame of a connection: the room, the name the client got, and who is there. */
    static String presence(String room, String you, List<String> users) {
        StringBuilder f = new StringBuilder(64 + users.size() * 16);
        f.append("{\"type\":\"presence\",\"room\":").append(JsonText.quote(room))
                .append(",\"you\":").append(JsonText.quote(you))
                .append(",\"users\":[");
        for (int i = 0; i < users.size(); i++) {
            if (i > 0) {
                f.append(',');
            }
            f.append(JsonText.quote(users.get(i)));
        }
        return f.append("]}").toString();
    }

    /**
     * The latest messages, oldest first, each a {@code message} frame. {@code id} is where the
     * block ends: a client that sees nothing more resumes from it.
     */
    static String history(Cursor id, List<String> messages) {
        int size = 48;
        for (String m : messages) {
            size += m.length() + 1;
        }
        StringBuilder f = new StringBuilder(size);
        f.append("{\"type\":\"history\",\"id\":\"").append(id).append("\",\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                f.append(',');
            }
            f.append(messages.get(i));
        }
        return f.append("]}").toString();
    }

    static String error(String code, String message) {
        return "{\"type\":\"error\",\"code\":" + JsonText.quote(code) + ",\"message\":" + JsonText.quote(message) + "}";
    }

    static String error(InvalidInputException e) {
        return error(e.problem(), e.getMessage());
    }

    /**
     * The frame for something a room's subscription hands out, or null when it is nothing a chat
     * client understands (an event of another type, or data without the fields chat needs).
     */
    static String of(Outbound item, String room) {
        if (item instanceof ControlEvent c) {
            return control(c);
        }
        Event e = (Event) item;
        return switch (e.type()) {
            case ClientFrame.MESSAGE -> message(e, room);
            case ChatRooms.PRESENCE_DIFF -> presenceDiff(e);
            default -> null;
        };
    }

    /** A message event as a {@code message} frame, or null when its data is not a chat message. */
    static String message(Event e, String room) {
        Map<String, JsonValue> data = fields(e.data());
        if (data == null || !(data.get("user") instanceof JsonString user)
                || !(data.get("text") instanceof JsonString text)) {
            return null;
        }
        StringBuilder f = new StringBuilder(text.getString().length() + 160);
        f.append("{\"type\":\"message\",\"id\":\"").append(e.id())
                .append("\",\"room\":").append(JsonText.quote(room))
                .append(",\"user\":").append(JsonText.quote(user.getString()))
                .append(",\"text\":").append(JsonText.quote(text.getString()))
                .append(",\"time\":\"").append(e.time()).append('"');
        JsonValue clientId = data.get("client_id");
        if (clientId instanceof JsonString s) {
            f.append(",\"client_id\":").append(JsonText.quote(s.getString()));
        } else if (clientId instanceof JsonNumber n) {
            f.append(",\"client_id\":").append(n);
        }
        return f.append('}').toString();
    }

    /**
     * A room's announcement as a {@code presence_diff} frame: who joined and who left since the one
     * before, or null when its data is not that.
     */
    private static String presenceDiff(Event e) {
        Map<String, List<String>> lists = nameLists(e.data());
        List<String> joined = lists == null ? null : lists.get("joined");
        List<String> left = lists == null ? null : lists.get("left");
        if (joined == null || left == null) {
            return null;
        }
        StringBuilder f = new StringBuilder(e.data().length() + 96);
        f.append("{\"type\":\"").append(ChatRooms.PRESENCE_DIFF).append("\",\"id\":\"").append(e.id())
                .append("\",\"joined\":");
        ChatRooms.names(f, joined);
        f.append(",\"left\":");
        ChatRooms.names(f, left);
        return f.append(",\"time\":\"").append(e.time()).append("\"}").toString();
    }

    /**
     * The members of a JSON object that are arrays of strings, by name; other members are skipped
     * as the parser streams past them. Null when the text is not an object, or such an array holds
     * anything but strings.
     */
    private static Map<String, List<String>> nameLists(String data) {
        try (JsonParser p = JsonText.parser(data)) {
            if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
                return null;
            }
            Map<String, List<String>> lists = new HashMap<>();
            String key = null;
            for (JsonParser.Event ev = p.next(); ev != JsonParser.Event.END_OBJECT; ev = p.next()) {
                switch (ev) {
                    case KEY_NAME -> key = p.getString();
                    case START_OBJECT -> p.skipObject();
                    case START_ARRAY -> {
                        List<String> names = new ArrayList<>();
                        for (JsonParser.Event item = p.next(); item != JsonParser.Event.END_ARRAY; item = p.next()) {
                            if (item != JsonParser.Event.VALUE_STRING) {
                                return null;
                            }
                            names.add(p.getString());
                        }
                        lists.put(key, names);
                    }
                    default -> { }
                }
            }
            return lists;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /**
     * A hub control event ({@code gap}, {@code lagged}, {@code shutdown}) as a frame of that type
     * with its data's members: {@code {"type":"shutdown","retry_ms":N}}.
     */
    private static String control(ControlEvent c) {
        String data = c.data();
        String members = data.length() > 2 && data.charAt(0) == '{' ? "," + data.substring(1) : "}";
        return "{\"type\":" + JsonText.quote(c.type()) + members;
    }

    private static Map<String, JsonValue> fields(String data) {
        try {
            return JsonFields.of(data);
        } catch (InvalidInputException notAnObject) {
            return null;
        }
    }
}
