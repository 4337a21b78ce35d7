package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatFramesTest {

    private static final Instant TIME = Instant.parse("2025-01-02T03:04:05.678Z");

    private static Event event(long id, String type, String data) {
        return new Event(Cursor.of(id), "chat/lobby", type, data, TIME, false);
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }

    @Test
    void aMessageFrameCarriesIdRoomUserTextAndTime() {
        JsonObject f = json(ChatFrames.of(event(17, "message", "{\"user\":\"alice\",\"text\":\"hi\\nthere\"}"), "lobby"));
        assertEquals("message", f.getString("type"));
        assertEquals("17", f.getString("id"));
        assertEquals("lobby", f.getString("room"));
        assertEquals("alice", f.getString("user"));
        assertEquals("hi\nthere", f.getString("text"));
        assertEquals("2025-01-02T03:04:05.678Z", f.getString("time"));
        assertFalse(f.containsKey("client_id"));
    }

    @Test
    void theClientIdComesBackAsItWasSent() {
        assertEquals("c-1", json(ChatFrames.of(event(1, "message",
                "{\"user\":\"a\",\"text\":\"t\",\"client_id\":\"c-1\"}"), "lobby")).getString("client_id"));
        assertEquals(42, json(ChatFrames.of(event(1, "message",
                "{\"user\":\"a\",\"text\":\"t\",\"client_id\":42}"), "lobby")).getInt("client_id"));
    }

    @Test
    void aPresenceDiffFrameCarriesWhoJoinedAndWhoLeft() {
        JsonObject diff = json(ChatFrames.of(event(5, "presence_diff",
                "{\"joined\":[\"bob\",\"carol\"],\"left\":[\"dave\"]}"), "lobby"));
        assertEquals("presence_diff", diff.getString("type"));
        assertEquals("5", diff.getString("id"));
        assertEquals(List.of("bob", "carol"), diff.getJsonArray("joined").getValuesAs(JsonString::getString));
        assertEquals(List.of("dave"), diff.getJsonArray("left").getValuesAs(JsonString::getString));
        assertEquals("2025-01-02T03:04:05.678Z", diff.getString("time"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"joined\":[\"a\"]}", "{\"joined\":\"a\",\"left\":[]}", "{\"joined\":[1],\"left\":[]}", "[]"})
    void aPresenceDiffWithoutTwoListsOfNamesIsNotSent(String data) {
        assertNull(ChatFrames.of(event(5, "presence_diff", data), "lobby"));
    }

    @Test
    void aPresenceDiffIsRebuiltFromItsNamesOnly() {
        JsonObject f = json(ChatFrames.of(event(5, "presence_diff",
                "{\"joined\":[],\"left\":[\"a\"],\"users\":[\"z\"],\"type\":\"presence\"}"), "lobby"));
        assertEquals("presence_diff", f.getString("type"));
        assertFalse(f.containsKey("users"), "only the members chat understands are copied");
    }

    @Test
    void dataPublishedToTheTopicCannotForgeFrameMembers() {
        String forged = "{\"user\":\"mallory\",\"text\":\"hi\",\"type\":\"presence\",\"id\":\"1\",\"room\":\"x\",\"users\":[\"z\"]}";
        JsonObject f = json(ChatFrames.of(event(9, "message", forged), "lobby"));
        assertEquals("message", f.getString("type"));
        assertEquals("9", f.getString("id"));
        assertEquals("lobby", f.getString("room"));
        assertFalse(f.containsKey("users"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":\"no user\"}", "{\"user\":\"a\"}", "{\"user\":1,\"text\":\"t\"}",
            "{\"user\":\"a\",\"text\":[\"t\"]}", "[1,2]", "\"text\"", "42"})
    void dataThatIsNotAChatMessageIsNotSentToChatClients(String data) {
        assertNull(ChatFrames.of(event(1, "message", data), "lobby"));
    }

    @Test
    void eventsOfOtherTypesAreNotSentToChatClients() {
        assertNull(ChatFrames.of(event(1, "typing", "{\"user\":\"a\"}"), "lobby"));
        assertNull(ChatFrames.of(event(1, "join", "{\"user\":\"a\"}"), "lobby"));
    }

    @Test
    void controlEventsBecomeFramesOfTheirType() {
        JsonObject gap = json(ChatFrames.of(ControlEvent.gap(Cursor.of(3), "expired"), "lobby"));
        assertEquals("gap", gap.getString("type"));
        assertEquals("3", gap.getString("since"));
        assertEquals("expired", gap.getString("reason"));
        JsonObject lagged = json(ChatFrames.of(ControlEvent.lagged(7), "lobby"));
        assertEquals("lagged", lagged.getString("type"));
        assertEquals(7, lagged.getInt("missed"));
        assertEquals("{\"type\":\"x\"}", ChatFrames.of(new ControlEvent("x", "{}"), "lobby"));
    }

    @Test
    void presenceNamesTheRoomTheClientAndEveryoneThere() {
        JsonObject f = json(ChatFrames.presence("lobby", "alice-2", List.of("alice", "alice-2")));
        assertEquals("presence", f.getString("type"));
        assertEquals("lobby", f.getString("room"));
        assertEquals("alice-2", f.getString("you"));
        assertEquals(List.of("alice", "alice-2"), f.getJsonArray("users").getValuesAs(jakarta.json.JsonString::getString));
    }

    @Test
    void historyHoldsMessageFramesAndTheIdItEndsAt() {
        String m1 = ChatFrames.of(event(1, "message", "{\"user\":\"a\",\"text\":\"one\"}"), "lobby");
        String m2 = ChatFrames.of(event(2, "message", "{\"user\":\"b\",\"text\":\"two\"}"), "lobby");
        JsonObject f = json(ChatFrames.history(Cursor.of(5), List.of(m1, m2)));
        assertEquals("history", f.getString("type"));
        assertEquals("5", f.getString("id"));
        assertEquals(2, f.getJsonArray("messages").size());
        assertEquals("two", f.getJsonArray("messages").getJsonObject(1).getString("text"));
        assertEquals(0, json(ChatFrames.history(Cursor.of(5), List.of())).getJsonArray("messages").size());
    }

    @Test
    void anErrorHasACodeAndAMessage() {
        JsonObject f = json(ChatFrames.error("rate-limited", "slow \"down\""));
        assertEquals("error", f.getString("type"));
        assertEquals("rate-limited", f.getString("code"));
        assertEquals("slow \"down\"", f.getString("message"));
    }
}
