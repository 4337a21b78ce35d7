package dev.rivulet.chat;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * A frame a client sends. The one type today is {@code {"type":"message","text":…}} with an
 * optional {@code client_id} (a string or a number) that comes back on the published message, so
 * a client can match its own message, also after a resume. Members the hub does not know are
 * ignored, so clients may add their own.
 *
 * @param clientId the client's id as JSON text, or null
 */
record ClientFrame(String text, String clientId) {

    static final String MESSAGE = "message";
    static final int CLIENT_ID_MAX_LENGTH = 128;

    /** Parses one text frame, or throws {@link InvalidInputException} saying what is wrong with it. */
    static ClientFrame parse(String frame) {
        Map<String, JsonValue> fields = JsonFields.of(frame);
        JsonValue type = fields.get("type");
        if (!(type instanceof JsonString t)) {
            throw new InvalidInputException("invalid-message", "a frame needs a \"type\" string, such as \"message\"");
        }
        if (!MESSAGE.equals(t.getString())) {
            throw new InvalidInputException("unknown-type", "unknown frame type; the type a client sends is \"message\"");
        }
        if (!(fields.get("text") instanceof JsonString text) || text.getString().isBlank()) {
            throw new InvalidInputException("invalid-message", "a message needs a \"text\" string that is not blank");
        }
        return new ClientFrame(text.getString(), clientId(fields.get("client_id")));
    }

    /** The data of the event this message is published as. */
    String data(String user) {
        StringBuilder data = new StringBuilder(text.length() + 64);
        data.append("{\"user\":").append(JsonText.quote(user)).append(",\"text\":").append(JsonText.quote(text));
        if (clientId != null) {
            data.append(",\"client_id\":").append(clientId);
        }
        return data.append('}').toString();
    }

    private static String clientId(JsonValue value) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s && s.getString().length() <= CLIENT_ID_MAX_LENGTH) {
            return JsonText.quote(s.getString());
        }
        if (value instanceof JsonNumber n && n.toString().length() <= CLIENT_ID_MAX_LENGTH) {
            return n.toString();
        }
        throw new InvalidInputException("invalid-message",
                "client_id must be a string or a number of at most " + CLIENT_ID_MAX_LENGTH + " characters");
    }
}
