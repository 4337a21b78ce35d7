package dev.rivulet.chat;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import java.util.HashMap;
import java.util.Map;

/**
 * The top-level members of a JSON object. Strings, numbers, booleans and null are read; a nested
 * object or array is skipped as the parser streams past it, never built, and stands as an empty
 * one, so a caller still sees that the member is there and is not a scalar. A deeply nested or very
 * wide frame costs no more than its length.
 */
final class JsonFields {


    private JsonFields() {
    }

    /**
     * The object's members. Throws {@link InvalidInputException} {@code invalid-json} for text
     * that is not exactly one JSON value, and {@code invalid-message} for a value that is not an object.
     */
    static Map<String, JsonValue> of(String text) {
        try (JsonParser parser = JsonText.parser(text)) {
            if (!parser.hasNext()) {
                throw new InvalidInputException("invalid-json", "the frame is empty; send a JSON object");
            }
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                // Read the rest, so text that is not JSON at all is reported as such.
                readToEnd(parser);
                throw new InvalidInputException("invalid-message", "a frame must be a JSON object");
            }
            Map<String, JsonValue> fields = new HashMap<>();
            String key = null;
            for (JsonParser.Event e = parser.next(); e != JsonParser.Event.END_OBJECT; e = parser.next()) {
                switch (e) {
                    case KEY_NAME -> key = parser.getString();
                    // Read through, not skipped: the parser's depth limit then holds for every
                    // frame, as for every other JSON the hub reads. Frames are small (a limit).
                    case START_OBJECT -> {
                        parser.getObject();
                        fields.put(key, JsonValue.EMPTY_JSON_OBJECT);
                    }
                    case START_ARRAY -> {
                        parser.getArray();
                        fields.put(key, JsonValue.EMPTY_JSON_ARRAY);
                    }
                    default -> fields.put(key, parser.getValue());
                }
            }
            if (parser.hasNext()) {
                throw new InvalidInputException("invalid-json", "a frame must be one JSON object; more text follows it");
            }
            return fields;
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException("invalid-json", "the frame must be one JSON object: " + JsonText.failure(e));
        }
    }

    private static void readToEnd(JsonParser parser) {
        while (parser.hasNext()) {
            parser.next();
        }
    }
}
