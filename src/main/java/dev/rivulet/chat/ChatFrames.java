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
            case ChatRooms.JOIN, ChatRooms.LEAVE -> presenceChange(e);
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

    private static String presenceChange(Event e) {
        Map<String, JsonValue> data = fields(e.data());
        if (data == null || !(data.get("user") instanceof JsonString user)) {
            return null;
        }
        return "{\"type\":" + JsonText.quote(e.type()) + ",\"id\":\"" + e.id()
                + "\",\"user\":" + JsonText.quote(user.getString()) + ",\"time\":\"" + e.time() + "\"}";
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
