package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static dev.rivulet.it.chat.ChatClient.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every limit at its edge, with the defaults: 64 KiB messages, 20 messages a second, a history
 * block of 50. Bad input gets an error frame and the connection stays; abuse closes it.
 */
class ChatLimitsIT {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final int MESSAGES_PER_SECOND = 20;
    private static final int HISTORY = 50;

    /** A message frame of exactly {@code bytes} bytes of UTF-8, most of them two-byte characters. */
    private static String frameOfBytes(int bytes) {
        String head = "{\"type\":\"message\",\"text\":\"";
        String tail = "\"}";
        int text = bytes - head.length() - tail.length();
        String frame = head + "é".repeat(text / 2) + "a".repeat(text % 2) + tail;
        assertEquals(bytes, frame.getBytes(StandardCharsets.UTF_8).length);
        return frame;
    }

    private static ChatClient<JsonObject> joined(String room, String name) {
        ChatClient<JsonObject> c = ChatClient.connect("/ws/chat/" + room + "?name=" + name);
        expect(c, "presence");
        expect(c, "history");
        return c;
    }

    @Test
    void aMessageOfExactlyTheLimitIsSentAndOneByteMoreClosesWith1009() {
        String room = HubServer.room("size");
        try (ChatClient<JsonObject> c = joined(room, "big")) {
            c.send(frameOfBytes(MAX_MESSAGE_BYTES));
            JsonObject echo = expect(c, "message");
            assertEquals((MAX_MESSAGE_BYTES - 28) / 2, echo.getString("text").length());

            c.send(frameOfBytes(MAX_MESSAGE_BYTES + 1));
            assertEquals(1009, c.awaitClose(), "counted in bytes: in characters this frame is far under the limit");
        }
    }

    @Test
    void aFloodGetsErrorFramesAndThenA1008() {
        String room = HubServer.room("flood");
        try (ChatClient<JsonObject> c = joined(room, "flooder")) {
            long start = System.nanoTime();
            for (int i = 0; i < MESSAGES_PER_SECOND; i++) {
                c.say("burst " + i);
            }
            for (int i = 0; i < MESSAGES_PER_SECOND; i++) {
                JsonObject f = c.next();
                assertEquals("message", f.getString("type"), "a connection at rest may send a second's worth at once: " + f);
                assertEquals("burst " + i, f.getString("text"));
            }
            int sent = MESSAGES_PER_SECOND;
            try {
                while (!c.closed.isDone() && sent < 20 * MESSAGES_PER_SECOND) {
                    c.say("flood " + sent++);
                }
            } catch (CompletionException | IllegalStateException closedUnderUs) {
                // the server closed the connection while we were still sending
            }
            int code = c.awaitClose();
            double seconds = (System.nanoTime() - start) / 1e9;
            List<JsonObject> rest = new ArrayList<>();
            for (JsonObject f; (f = poll(c)) != null; ) {
                rest.add(f);
            }
            long errors = rest.stream().filter(f -> is(f, "error") && "rate-limited".equals(f.getString("code"))).count();
            long accepted = MESSAGES_PER_SECOND + rest.stream().filter(f -> is(f, "message")).count();
            assertEquals(1008, code);
            assertTrue(errors >= 1, "refused messages are answered with error frames before the close: " + rest);
            assertTrue(accepted <= MESSAGES_PER_SECOND + MESSAGES_PER_SECOND * seconds + 1,
                    accepted + " accepted in " + seconds + " s is more than the rate allows");
        }
    }

    private static JsonObject poll(ChatClient<JsonObject> c) {
        try {
            return c.frames.poll(0, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (ChatClient<JsonObject> c = joined(HubServer.room("binary"), "bin")) {
            c.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertEquals(1003, c.awaitClose());
        }
    }

    @Test
    void invalidJsonAndUnknownTypesGetErrorFramesAndTheConnectionStays() {
        try (ChatClient<JsonObject> c = joined(HubServer.room("invalid"), "typo")) {
            c.send("{\"type\":\"message\",\"text\":");
            assertEquals("invalid-json", expect(c, "error").getString("code"));
            c.send("{\"type\":\"shout\",\"text\":\"HI\"}");
            assertEquals("unknown-type", expect(c, "error").getString("code"));
            c.send("{\"type\":\"message\",\"text\":\"   \"}");
            assertEquals("invalid-message", expect(c, "error").getString("code"));
            c.say("still connected");
            assertEquals("still connected", expect(c, "message").getString("text"));
            assertTrue(!c.closed.isDone());
        }
    }

    @Test
    void aRoomOrNameTheRulesRefuseGetsAnErrorAndA1008() {
        try (ChatClient<JsonObject> c = ChatClient.connect("/ws/chat/a%7Bb%7D?name=ok")) {
            assertEquals("invalid-room", expect(c, "error").getString("code"));
            assertEquals(1008, c.awaitClose());
        }
        try (ChatClient<JsonObject> c = ChatClient.connect("/ws/chat/" + HubServer.room("names") + "?name=%3Cb%3E")) {
            JsonObject error = expect(c, "error");
            assertEquals("invalid-name", error.getString("code"));
            assertEquals(1008, c.awaitClose());
            assertEquals(error.getString("message"), c.closeReason, "the close says why, for browsers");
        }
    }

    @Test
    void theHistoryBlockHoldsTheLast50Messages() {
        String room = HubServer.room("history");
        List<String> ids = new ArrayList<>();
        try (ChatClient<JsonObject> a = joined(room, "a");
             ChatClient<JsonObject> b = joined(room, "b");
             ChatClient<JsonObject> c = joined(room, "c")) {
            List<ChatClient<JsonObject>> senders = List.of(a, b, c);
            for (int i = 0; i < HISTORY + 1; i++) {
                senders.get(i % 3).say("m" + i);
                // a sees every message in id order
                ids.add(a.await(ChatClient.type("message")).getString("id"));
            }
        }
        try (ChatClient<JsonObject> late = ChatClient.connect("/ws/chat/" + room + "?name=late")) {
            expect(late, "presence");
            List<JsonObject> history = expect(late, "history").getJsonArray("messages").getValuesAs(JsonObject.class);
            assertEquals(HISTORY, history.size());
            assertEquals(ids.subList(1, HISTORY + 1), history.stream().map(m -> m.getString("id")).toList());
            assertEquals("m1", history.get(0).getString("text"));
        }
    }
}
