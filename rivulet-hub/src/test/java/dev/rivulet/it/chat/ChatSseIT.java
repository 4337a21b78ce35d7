package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A room is a hub topic: an SSE subscriber to chat/{room} watches the room read-only. */
class ChatSseIT {

    /** One SSE event: its id (or null), type and data. */
    private record SseEvent(String id, String event, String data) {
    }

    @Test
    void anSseSubscriberToTheRoomsTopicSeesItsMessagesAndPresence() throws Exception {
        String room = HubServer.room("watched");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpRequest request = HttpRequest.newBuilder(HubServer.uri("/api/topics/chat/" + room))
                .header("Accept", "text/event-stream").build();
        CompletableFuture<HttpResponse<Stream<String>>> response =
                HubServer.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> r = response.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        Thread reader = new Thread(() -> r.body().forEach(lines::add), "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            assertTrue(nextEvent(lines).id() != null, "the stream opens with its cursor");

            JsonObject said;
            try (ChatClient<JsonObject> alice = ChatClient.connect("/ws/chat/" + room + "?name=alice")) {
                expect(alice, "presence");
                expect(alice, "history");
                alice.say("hello, watchers", "c-7");
                said = expect(alice, "message");

                SseEvent join = nextEvent(lines);
                assertEquals("presence_diff", join.event());
                assertEquals(List.of("alice"), ChatClient.names(ChatClient.json(join.data()), "joined"));

                SseEvent message = nextEvent(lines);
                assertEquals("message", message.event());
                assertEquals(said.getString("id"), message.id(), "the same event, with the same id");
                JsonObject data = ChatClient.json(message.data());
                assertEquals("alice", data.getString("user"));
                assertEquals("hello, watchers", data.getString("text"));
                assertEquals("c-7", data.getString("client_id"));
            }
            SseEvent leave = nextEvent(lines);
            assertEquals("presence_diff", leave.event());
            assertEquals(List.of("alice"), ChatClient.names(ChatClient.json(leave.data()), "left"));
        } finally {
            r.body().close();
        }
    }

    /** The next SSE event, skipping comments; fails when none comes within the wait. */
    private static SseEvent nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        List<String> fields = new ArrayList<>();
        long deadline = System.nanoTime() + ChatClient.WAIT.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("no SSE event within " + ChatClient.WAIT + "; partial " + fields);
            }
            if (line.isEmpty()) {
                if (!fields.isEmpty()) {
                    return parse(fields);
                }
            } else if (!line.startsWith(":")) {
                fields.add(line);
            }
        }
    }

    private static SseEvent parse(List<String> fields) {
        String id = null;
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String f : fields) {
            int colon = f.indexOf(':');
            String name = f.substring(0, colon);
            String value = f.substring(colon + 1).stripLeading();
            switch (name) {
                case "id" -> id = value;
                case "event" -> event = value;
                case "data" -> data.append(data.isEmpty() ? "" : "\n").append(value);
                default -> { }
            }
        }
        return new SseEvent(id, event, data.toString());
    }
}
