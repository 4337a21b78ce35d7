package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rivulet.hub.InvalidInputException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientFrameTest {

    private static String problem(String frame) {
        return assertThrows(InvalidInputException.class, () -> ClientFrame.parse(frame)).problem();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void aFieldNestedDeeperThanJsonMayNestIsInvalidJsonThoughTheFieldIsUnused() {
        String deep = "[".repeat(1001) + "]".repeat(1001);
        assertEquals("invalid-json", problem("{\"type\":\"message\",\"text\":\"hi\",\"extra\":" + deep + "}"));
        String atLimit = "[".repeat(999) + "]".repeat(999);
        assertEquals(new ClientFrame("hi", null), ClientFrame.parse("{\"type\":\"message\",\"text\":\"hi\",\"x\":" + atLimit + "}"));
    }

    @Test
    void aMessageHasTextAndOptionallyAClientId() {
        assertEquals(new ClientFrame("hi", null), ClientFrame.parse("{\"type\":\"message\",\"text\":\"hi\"}"));
        assertEquals(new ClientFrame("hi", "\"c-1\""),
                ClientFrame.parse("{\"text\":\"hi\",\"client_id\":\"c-1\",\"type\":\"message\"}"));
        assertEquals(new ClientFrame("hi", "42"), ClientFrame.parse("{\"type\":\"message\",\"text\":\"hi\",\"client_id\":42}"));
        assertEquals(new ClientFrame("hi", null),
                ClientFrame.parse("{\"type\":\"message\",\"text\":\"hi\",\"client_id\":null}"));
    }

    @Test
    void membersTheHubDoesNotKnowAreIgnored() {
        ClientFrame f = ClientFrame.parse(
                "{\"type\":\"message\",\"text\":\"hi\",\"meta\":{\"deep\":[1,[2,{\"x\":3}]]},\"flag\":true}");
        assertEquals(new ClientFrame("hi", null), f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "nope", "{", "{\"type\":\"message\",", "{\"type\":\"message\"}x",
            "{\"type\":\"message\",\"text\":\"hi\"} {}", "{'type':'message'}"})
    void textThatIsNotOneJsonValueIsInvalidJson(String frame) {
        assertEquals("invalid-json", problem(frame));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"message\"", "42", "null", "{}", "{\"type\":7,\"text\":\"hi\"}",
            "{\"type\":\"message\"}", "{\"type\":\"message\",\"text\":\"\"}", "{\"type\":\"message\",\"text\":\"  \"}",
            "{\"type\":\"message\",\"text\":5}", "{\"type\":\"message\",\"text\":{\"a\":1}}",
            "{\"type\":\"message\",\"text\":\"hi\",\"client_id\":true}",
            "{\"type\":\"message\",\"text\":\"hi\",\"client_id\":[1]}"})
    void aFrameWithoutWhatAMessageNeedsIsInvalid(String frame) {
        assertEquals("invalid-message", problem(frame));
    }

    @Test
    void aClientIdIsAtMost128Characters() {
        String ok = "c".repeat(128);
        assertEquals("\"" + ok + "\"", ClientFrame.parse(
                "{\"type\":\"message\",\"text\":\"hi\",\"client_id\":\"" + ok + "\"}").clientId());
        assertEquals("invalid-message", problem("{\"type\":\"message\",\"text\":\"hi\",\"client_id\":\"" + ok + "c\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"join", "presence", "Message", "ping"})
    void anUnknownTypeIsReportedAsSuch(String type) {
        assertEquals("unknown-type", problem("{\"type\":\"" + type + "\",\"text\":\"hi\"}"));
    }

    @Test
    void theErrorDoesNotEchoWhatTheClientSent() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ClientFrame.parse("{\"type\":\"<script>\",\"text\":\"hi\"}"));
        assertEquals(-1, e.getMessage().indexOf("script"));
    }

    @Test
    void theEventDataNamesTheSenderAndKeepsTheTextExactly() {
        String text = "line 1\nline \"2\"\t\u2028 \\ done";
        JsonObject data = json(new ClientFrame(text, "\"c\\\"1\"").data("alice"));
        assertEquals("alice", data.getString("user"));
        assertEquals(text, data.getString("text"));
        assertEquals("c\"1", data.getString("client_id"));
        assertNull(json(new ClientFrame("hi", null).data("bob")).get("client_id"));
        assertEquals(-1, new ClientFrame(text, null).data("alice").indexOf('\n'), "data is one line");
    }
}
