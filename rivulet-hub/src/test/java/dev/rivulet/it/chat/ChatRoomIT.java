package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static dev.rivulet.it.chat.ChatClient.messageWithText;
import static dev.rivulet.it.chat.ChatClient.joined;
import static dev.rivulet.it.chat.ChatClient.left;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chat between real WebSocket clients: messages, presence, join and leave, history for a newcomer. */
class ChatRoomIT {

    private static List<String> users(JsonObject presence) {
        return presence.getJsonArray("users").getValuesAs(JsonString::getString);
    }

    @Test
    void twoClientsChatAndPresenceJoinLeaveAndHistoryAreRight() {
        String room = HubServer.room("lobby");
        try (ChatClient<JsonObject> alice = ChatClient.connect("/ws/chat/" + room + "?name=alice")) {
            JsonObject presence = expect(alice, "presence");
            assertEquals(room, presence.getString("room"));
            assertEquals("alice", presence.getString("you"));
            assertEquals(List.of("alice"), users(presence));
            assertEquals(0, expect(alice, "history").getJsonArray("messages").size());

            JsonObject fromAlice;
            JsonObject fromBob;
            try (ChatClient<JsonObject> bob = ChatClient.connect("/ws/chat/" + room + "?name=bob")) {
                JsonObject bobPresence = expect(bob, "presence");
                assertEquals(List.of("alice", "bob"), users(bobPresence));
                expect(bob, "history");
                JsonObject join = expect(alice, "presence_diff");
                assertEquals(List.of("bob"), ChatClient.names(join, "joined"));
                assertEquals(List.of(), ChatClient.names(join, "left"));

                alice.say("hello bob", "a-1");
                fromAlice = expect(alice, "message");
                // Bob may first get the announcement of his own join, when it was batched with others.
                JsonObject aliceAtBob = bob.await(ChatClient.type("message"));
                assertEquals("hello bob", fromAlice.getString("text"));
                assertEquals("alice", fromAlice.getString("user"));
                assertEquals(room, fromAlice.getString("room"));
                assertEquals("a-1", fromAlice.getString("client_id"), "the sender can match its own message");
                assertEquals(fromAlice, aliceAtBob, "both see the same message, id and time included");

                bob.say("hi alice");
                fromBob = expect(alice, "message");
                assertEquals(fromBob, expect(bob, "message"));
                assertEquals("bob", fromBob.getString("user"));
                assertTrue(Long.parseLong(fromBob.getString("id")) > Long.parseLong(fromAlice.getString("id")));
            }
            JsonObject leave = expect(alice, "presence_diff");
            assertEquals(List.of("bob"), ChatClient.names(leave, "left"));

            try (ChatClient<JsonObject> carol = ChatClient.connect("/ws/chat/" + room + "?name=carol")) {
                assertEquals(List.of("alice", "carol"), users(expect(carol, "presence")));
                JsonObject history = expect(carol, "history");
                List<JsonObject> messages = history.getJsonArray("messages").getValuesAs(JsonObject.class);
                assertEquals(List.of(fromAlice, fromBob), messages, "messages only, oldest first, as they were sent");
                assertTrue(Long.parseLong(history.getString("id")) >= Long.parseLong(fromBob.getString("id")),
                        "a client that sees nothing more resumes from the block's id, after its last message");
                assertEquals(List.of("carol"), ChatClient.names(expect(alice, "presence_diff"), "joined"));
            }
        }
    }

    @Test
    void aTakenNameIsMadeUniqueAndTheClientIsToldWhichItGot() {
        String room = HubServer.room("names");
        // Each joins once the room has announced the one before: the server names them in the order
        // they join, and shows each the room as last announced.
        try (ChatClient<JsonObject> first = ChatClient.connect("/ws/chat/" + room + "?name=sam")) {
            assertEquals("sam", expect(first, "presence").getString("you"));
            ChatClient<JsonObject> second = ChatClient.connect("/ws/chat/" + room + "?name=Sam");
            JsonObject presence = expect(second, "presence");
            assertEquals("Sam-2", presence.getString("you"));
            assertEquals(List.of("sam", "Sam-2"), users(presence));
            first.await(joined("Sam-2"));
            ChatClient<JsonObject> guest = ChatClient.connect("/ws/chat/" + room);
            JsonObject guestPresence = expect(guest, "presence");
            assertEquals("guest", guestPresence.getString("you"), "no name means guest");
            assertEquals(List.of("sam", "Sam-2", "guest"), users(guestPresence));

            second.say("which sam?");
            assertEquals("Sam-2", first.await(messageWithText("which sam?")).getString("user"));
            second.close();
            guest.close();
        }
    }

    @Test
    void aRoomIsIndependentOfAnother() {
        String here = HubServer.room("here");
        String there = HubServer.room("there");
        try (ChatClient<JsonObject> a = ChatClient.connect("/ws/chat/" + here + "?name=a");
             ChatClient<JsonObject> b = ChatClient.connect("/ws/chat/" + there + "?name=b")) {
            expect(a, "presence");
            expect(a, "history");
            assertEquals(List.of("b"), users(expect(b, "presence")));
            expect(b, "history");
            b.say("only there");
            expect(b, "message");
            a.say("only here");
            JsonObject next = expect(a, "message");
            assertEquals("only here", next.getString("text"), "nothing from the other room came first");
        }
    }

    @Test
    void aUserLeavesWhenItsConnectionDropsWithoutAClose() {
        String room = HubServer.room("drop");
        try (ChatClient<JsonObject> watcher = ChatClient.connect("/ws/chat/" + room + "?name=watcher")) {
            ChatClient<JsonObject> dropper = ChatClient.connect("/ws/chat/" + room + "?name=dropper");
            watcher.until(joined("dropper"));
            dropper.abort();
            watcher.until(left("dropper"));
            try (ChatClient<JsonObject> again = ChatClient.connect("/ws/chat/" + room + "?name=dropper")) {
                JsonObject presence = expect(again, "presence");
                assertEquals("dropper", presence.getString("you"), "the name is free again");
                assertEquals(List.of("watcher", "dropper"), users(presence));
            }
        }
    }
}
