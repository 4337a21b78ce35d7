package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static dev.rivulet.it.chat.ChatClient.messageWithText;
import static dev.rivulet.it.chat.ChatClient.joined;
import static dev.rivulet.it.chat.ChatClient.left;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reconnecting with ?since= delivers exactly the messages missed, instead of the history block. */
class ChatResumeIT {

    @Test
    void resumingAfterADropDeliversExactlyWhatWasMissed() {
        String room = HubServer.room("resume");
        try (ChatClient<JsonObject> bob = ChatClient.connect("/ws/chat/" + room + "?name=bob")) {
            expect(bob, "presence");
            expect(bob, "history");
            ChatClient<JsonObject> alice = ChatClient.connect("/ws/chat/" + room + "?name=alice");
            expect(alice, "presence");
            expect(alice, "history");
            bob.until(joined("alice"));

            bob.say("before the drop");
            // Alice may first get the announcement of her own join, when it was batched with others.
            String lastSeen = alice.await(ChatClient.type("message")).getString("id");
            alice.abort();
            // Sent while the server may not yet know alice is gone: it may reach her dead connection.
            bob.say("missed 1");
            bob.until(left("alice"));
            bob.say("missed 2");
            bob.until(messageWithText("missed 2"));

            try (ChatClient<JsonObject> back = ChatClient.connect("/ws/chat/" + room + "?name=alice&since=" + lastSeen)) {
                JsonObject presence = expect(back, "presence");
                assertEquals("alice", presence.getString("you"));
                assertEquals(List.of("bob", "alice"), presence.getJsonArray("users").getValuesAs(JsonString::getString));
                bob.say("live again");
                List<String> texts = List.of(expect(back, "message"), expect(back, "message"), expect(back, "message"))
                        .stream().map(m -> m.getString("text")).toList();
                assertEquals(List.of("missed 1", "missed 2", "live again"), texts,
                        "no history block, no earlier join or leave, nothing twice, nothing lost");
            }
        }
    }

    @Test
    void anIdOlderThanHistoryOrUnknownIsAGapNotAFailure() {
        String room = HubServer.room("gap");
        try (ChatClient<JsonObject> a = ChatClient.connect("/ws/chat/" + room + "?name=a")) {
            expect(a, "presence");
            expect(a, "history");
            a.say("retained");
            expect(a, "message");
            try (ChatClient<JsonObject> b = ChatClient.connect("/ws/chat/" + room + "?name=b&since=not-an-id")) {
                expect(b, "presence");
                JsonObject gap = expect(b, "gap");
                assertEquals("unknown", gap.getString("reason"));
                assertEquals("retained", expect(b, "message").getString("text"),
                        "the replay starts at the oldest retained event");
            }
        }
    }

    @Test
    void anIdLongerThanAnyOfOursIsRefused() {
        String room = HubServer.room("badid");
        try (ChatClient<JsonObject> c = ChatClient.connect("/ws/chat/" + room + "?since=" + "1".repeat(65))) {
            JsonObject error = expect(c, "error");
            assertEquals("invalid-id", error.getString("code"));
            assertEquals(1008, c.awaitClose());
        }
    }
}
