package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

    // --- normalize ---

    @Test
    void jsonNestsAtMostMaxDepthLevelsAndDeeperIsInvalidJsonThatSaysSo() {
        int max = JsonText.MAX_DEPTH;
        assertEquals("[".repeat(max) + "]".repeat(max), JsonText.normalize("[".repeat(max) + "]".repeat(max)));
        for (int depth : new int[] {max + 1, 20 * max}) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> JsonText.normalize("[".repeat(depth) + "]".repeat(depth)));
            assertEquals("invalid-json", e.problem());
            assertEquals("event data must be one JSON value: arrays and objects nest deeper than 1000 levels",
                    e.getMessage());
        }
    }

    @Test
    void rawLineBreaksBetweenTokensAreRemoved() {
        assertEquals("{\"a\":1}", JsonText.normalize("{\n\"a\":\r\n1}"));
    }

    @Test
    void whitespaceBetweenTokensIsRemoved() {
        assertEquals("{\"a\":[1,2,{\"b\":null}],\"c\":\"x y\"}",
                JsonText.normalize("  {\t\"a\" : [ 1 ,\n 2, {\"b\": null} ],\r\n \"c\": \"x y\" }\n"));
    }

    @Test
    void lineBreakInsideAStringStaysEscaped() {
        String normalized = JsonText.normalize("{\"text\":\"line1\\nline2\\r\"}");

        assertFalse(normalized.contains("\n"));
        assertFalse(normalized.contains("\r"));
        assertEquals("line1\nline2\r", readString(normalized, "text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-2.5", "true", "false", "null", "\"text\"", "[]", "{}"})
    void anySingleJsonValueIsAccepted(String json) {
        assertEquals(json, JsonText.normalize(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\r\t"})
    void emptyDataIsRejected(String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JsonText.normalize(json));
        assertEquals("invalid-json", e.problem());
    }

    @Test
    void missingDataIsRejected() {
        assertThrows(InvalidInputException.class, () -> JsonText.normalize(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":}", "{a:1}", "'text'", "[1,]", "tru", "hello", "{\"a\":1", "\"unterminated"})
    void invalidJsonIsRejected(String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JsonText.normalize(json));
        assertEquals("invalid-json", e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 2", "{} {}", "{\"a\":1}\n{\"b\":2}", "[1] [2]", "{}x", "\"a\" \"b\""})
    void moreThanOneJsonValueIsRejected(String json) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JsonText.normalize(json));
        assertEquals("invalid-json", e.problem());
    }

    // --- quote ---

    @Test
    void quoteWrapsPlainTextInQuotes() {
        assertEquals("\"hello\"", JsonText.quote("hello"));
        assertEquals("\"\"", JsonText.quote(""));
    }

    @Test
    void quoteEscapesQuotesAndBackslashes() {
        assertEquals("\"say \\\"hi\\\" \\\\o/\"", JsonText.quote("say \"hi\" \\o/"));
    }

    @Test
    void quoteEscapesLineBreaksAndTabs() {
        assertEquals("\"a\\r\\nb\\tc\"", JsonText.quote("a\r\nb\tc"));
    }

    @Test
    void quoteEscapesOtherControlCharactersAsUnicode() {
        assertEquals("\"\\u0000\\u0001\\u001f\"", JsonText.quote("\u0000\u0001\u001f"));
        assertEquals("\"\\u2028\\u2029\"", JsonText.quote("\u2028\u2029"));
    }

    @Test
    void quotedTextReadsBackAsTheOriginal() {
        String original = "quote\" backslash\\ cr\r lf\n nul\u0000 bell\u0007 ü 東京 \u2028";
        String quoted = JsonText.quote(original);

        assertFalse(quoted.contains("\n"));
        assertFalse(quoted.contains("\r"));
        assertEquals(original, readString("{\"v\":" + quoted + "}", "v"));
    }

    private static String readString(String json, String key) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject().getString(key);
        }
    }
}
