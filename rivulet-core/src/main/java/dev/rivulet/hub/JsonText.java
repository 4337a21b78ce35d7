package dev.rivulet.hub;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import java.io.StringReader;
import java.util.Map;

/** JSON text as the hub stores it: validated, compact, and safe to place on any wire. */
public final class JsonText {

    /** How deep arrays and objects may nest in any JSON Rivulet reads. */
    public static final int MAX_DEPTH = 1000;
    /** Parsson's bound, which it refuses at: one more than {@link #MAX_DEPTH} lets that depth through. */
    private static final String MAX_DEPTH_PROPERTY = "org.eclipse.parsson.maxDepth";

    /**
     * Made once: {@code Json.createParser} looks the JSON-P provider up on every call (a class
     * loader search on Liberty), which cost a third of the time of every publish.
     */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of(MAX_DEPTH_PROPERTY, MAX_DEPTH + 1));
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of(MAX_DEPTH_PROPERTY, MAX_DEPTH + 1));

    private JsonText() {
    }

    /** A parser over {@code text}, from the one factory every part of Rivulet shares. */
    public static JsonParser parser(String text) {
        return PARSERS.createParser(new StringReader(text));
    }

    /** A reader over {@code text}, from the one factory every part of Rivulet shares. */
    public static JsonReader reader(String text) {
        return READERS.createReader(new StringReader(text));
    }

    /**
     * The compact form of a JSON value: whitespace between tokens removed, so the text holds no
     * raw line break. Throws {@link InvalidInputException} for anything that is not one JSON value.
     */
    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("invalid-json", "event data must be a JSON value; the body was empty");
        }
        try (JsonParser parser = parser(text)) {
            parser.next();
            JsonValue value = parser.getValue();
            if (parser.hasNext()) {
                throw new InvalidInputException("invalid-json", "event data must be one JSON value; more text follows it");
            }
            return value.toString();
        } catch (InvalidInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidInputException("invalid-json", "event data must be one JSON value: " + failure(e));
        }
    }

    /**
     * What was wrong with the JSON a parser of this class refused, in words for a problem detail:
     * where it broke ("invalid JSON at column 7"; the line too when it is not the first), or that
     * it nests deeper than {@link #MAX_DEPTH}. Anything a parser throws while reading text held in
     * memory is the text's fault (Parsson refuses deep nesting with a plain RuntimeException), so
     * every reader of JSON turns it into a 400 with these words, never a 500.
     */
    public static String failure(RuntimeException e) {
        if (e instanceof JsonParsingException parsing && parsing.getLocation() != null) {
            var at = parsing.getLocation();
            return "invalid JSON at " + (at.getLineNumber() > 1 ? "line " + at.getLineNumber() + ", " : "")
                    + "column " + at.getColumnNumber();
        }
        if (!(e instanceof JsonException) && e.getMessage() != null && e.getMessage().contains("nested")) {
            return "arrays and objects nest deeper than " + MAX_DEPTH + " levels";
        }
        return "invalid JSON";
    }

    /** A JSON string literal for {@code s}, with every control character escaped. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
