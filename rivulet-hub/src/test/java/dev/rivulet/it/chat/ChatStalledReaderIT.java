package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import dev.rivulet.testing.Poll;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.stream.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One reader that stops reading, in a room of 200. Its socket fills, its queue in the hub fills,
 * and the hub closes it with 1013 while every other member receives every message once and in
 * each sender's order. Two bounds end it, whichever comes first: its queue overflows, or a frame
 * stuck on its wire outlasts {@code rivulet.chat.send-timeout} (on a slow machine, filling the
 * queue behind 199 readers can take longer than that). It comes back with ?since= and picks up
 * where it was.
 */
class ChatStalledReaderIT {

    private static final int MEMBERS = 200;
    /** Big messages fill the stalled socket's kernel buffers (megabytes here) in few rounds. */
    private static final String FILLER = "x".repeat(48 * 1024);
    private static final int BIG_PER_ROUND = 16;

    /**
     * What the test keeps of a frame: the text only up to its first space, the tag "sender:seq",
     * and for a presence diff who joined and who left.
     */
    record Seen(String type, long id, String user, String tag, List<String> joined, List<String> left) {
    }

    static Seen seen(String frame) {
        String type = null;
        long id = 0;
        String user = null;
        String tag = null;
        List<String> joined = List.of();
        List<String> left = List.of();
        try (JsonParser p = Json.createParser(new StringReader(frame))) {
            p.next();
            while (p.next() == JsonParser.Event.KEY_NAME) {
                String key = p.getString();
                JsonParser.Event value = p.next();
                switch (value) {
                    case START_OBJECT -> p.skipObject();
                    case START_ARRAY -> {
                        if (key.equals("joined") || key.equals("left")) {
                            List<String> names = new ArrayList<>();
                            while (p.next() == JsonParser.Event.VALUE_STRING) {
                                names.add(p.getString());
                            }
                            if (key.equals("joined")) {
                                joined = names;
                            } else {
                                left = names;
                            }
                        } else {
                            p.skipArray();
                        }
                    }
                    case VALUE_STRING -> {
                        String v = p.getString();
                        switch (key) {
                            case "type" -> type = v;
                            case "id" -> id = Long.parseLong(v);
                            case "user" -> user = v;
                            case "text" -> tag = v.contains(" ") ? v.substring(0, v.indexOf(' ')) : v;
                            default -> { }
                        }
                    }
                    default -> { }
                }
            }
        }
        return new Seen(type, id, user, tag, joined, left);
    }

    /** How the stalled reader's stream ended: the last message it had been sent, and the close code. */
    record StalledEnd(long lastMessageId, int closeCode) {
    }

    /** Reads the stalled socket up to its close frame; answers the close. */
    private static StalledEnd readToClose(RawWebSocket socket) {
        try {
            long last = 0;
            while (true) {
                RawWebSocket.Frame f = socket.read();
                if (f.opcode() == RawWebSocket.TEXT) {
                    Seen s = seen(f.text());
                    if ("message".equals(s.type())) {
                        last = s.id();
                    }
                } else if (f.opcode() == RawWebSocket.CLOSE) {
                    socket.sendClose(1000);
                    return new StalledEnd(last, f.closeCode());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("the stalled socket ended without a close frame", e);
        }
    }

    /** A member that reads everything, and what it got. */
    private static final class Member {
        final String name;
        final ChatClient<Seen> client;
        final List<Seen> messages = new ArrayList<>();
        boolean sawStalledLeave;
        int sent;

        Member(String name, ChatClient<Seen> client) {
            this.name = name;
            this.client = client;
        }

        void say(String rest) {
            client.say(name + ":" + sent++ + " " + rest);
        }

        /** Takes frames until this member has {@code count} messages. */
        void receiveUntil(int count) {
            while (messages.size() < count) {
                Seen s = client.next();
                switch (s.type()) {
                    case "message" -> messages.add(s);
                    case "presence_diff" -> sawStalledLeave |= s.left().contains("stalled");
                    case "presence", "history" -> { }
                    default -> fail(name + " got " + s);
                }
            }
        }
    }

    @Test
    void aStalledReaderIsClosedWith1013AndNeverDelaysTheRoom() throws Exception {
        String room = HubServer.room("crowd");
        String path = "/ws/chat/" + room;
        HttpClient crowd = HttpClient.newHttpClient();
        long started = System.nanoTime();
        List<CompletableFuture<ChatClient<Seen>>> connecting = new ArrayList<>();
        for (int i = 0; i < MEMBERS - 1; i++) {
            connecting.add(ChatClient.connectAsync(crowd, path + "?name=m" + i, ChatStalledReaderIT::seen));
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS - 1; i++) {
            members.add(new Member("m" + i, connecting.get(i).get(ChatClient.WAIT.toSeconds(), TimeUnit.SECONDS)));
        }
        RawWebSocket stalled = RawWebSocket.connect(path + "?name=stalled");
        // Alive but not reading: it sends pongs of its own, so only its queue can end it, not the idle timeout.
        Thread heartbeat = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    stalled.sendPong();
                    Thread.sleep(HubServer.PING_INTERVAL.toMillis() / 2);
                }
            } catch (IOException | InterruptedException stopped) {
                // the test is done with it
            }
        }, "stalled-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
        try {
            for (Member m : members) {
                m.client.await(s -> "presence_diff".equals(s.type()) && s.joined().contains("stalled"));
            }

            long joined = System.nanoTime();

            // Fill the stalled socket: big messages until its queue in the hub holds a round, or until
            // the send timeout has already closed it. Every other member has received every round by
            // then, so only a stalled writer explains either.
            int total = 0;
            int senderIndex = 0;
            for (int round = 0; HubServer.gauge("rivulet_subscriber_queue_depth_max") < BIG_PER_ROUND
                    && !members.get(0).sawStalledLeave; round++) {
                assertTrue(round < 60, "the stalled socket never filled");
                for (int i = 0; i < BIG_PER_ROUND; i++) {
                    members.get(senderIndex++ % members.size()).say(FILLER);
                }
                total += BIG_PER_ROUND;
                for (Member m : members) {
                    m.receiveUntil(total);
                }
            }
            long filled = System.nanoTime();
            int bigMessages = total;

            // Overflow its queue: everyone talks, round after round, until the stalled one is gone.
            // Its socket is read as soon as that shows: Liberty gives a write stuck on the wire some
            // seconds to finish before it gives up on writing the close frame.
            long capacity = HubServer.gauge("rivulet_subscriber_queue_capacity");
            CompletableFuture<StalledEnd> stalledEnd = null;
            for (int round = 0; stalledEnd == null; round++) {
                if (members.get(0).sawStalledLeave) {
                    heartbeat.interrupt();
                    stalledEnd = CompletableFuture.supplyAsync(() -> readToClose(stalled));
                    break;
                }
                assertTrue(round <= capacity / members.size() + 3, "the stalled reader was never closed");
                for (Member m : members) {
                    m.say("small");
                }
                total += members.size();
                members.get(0).receiveUntil(total);
                if (members.get(0).sawStalledLeave) {
                    heartbeat.interrupt();
                    stalledEnd = CompletableFuture.supplyAsync(() -> readToClose(stalled));
                }
                for (Member m : members) {
                    m.receiveUntil(total);
                }
            }
            long closed = System.nanoTime();
            System.out.printf("room of %d: joined in %d ms; socket filled by %d messages of 48 KiB in %d ms;"
                            + " closed after %d more (queue capacity %d) in %d ms%n", MEMBERS,
                    (joined - started) / 1_000_000, bigMessages, (filled - joined) / 1_000_000,
                    total - bigMessages, capacity, (closed - filled) / 1_000_000);

            // The stalled reader finds the frames it was sent, then the close: 1013, try again later.
            StalledEnd end = stalledEnd.get(ChatClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(1013, end.closeCode());
            long lastSeen = end.lastMessageId();

            // Every other member: every message once, in id order, each sender's in the order sent.
            List<Long> ids = members.get(0).messages.stream().map(Seen::id).toList();
            assertEquals(total, ids.size());
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i) > ids.get(i - 1), "ids increase: " + ids.get(i - 1) + ", " + ids.get(i));
            }
            for (Member m : members) {
                assertEquals(ids, m.messages.stream().map(Seen::id).toList(), m.name + " got the same messages");
                Map<String, Integer> next = new HashMap<>();
                for (Seen s : m.messages) {
                    int expected = next.getOrDefault(s.user(), 0);
                    assertEquals(s.user() + ":" + expected, s.tag(), m.name + " got " + s.user() + "'s messages in order");
                    next.put(s.user(), expected + 1);
                }
                if (!m.sawStalledLeave) {
                    m.client.await(s -> "presence_diff".equals(s.type()) && s.left().contains("stalled"));
                }
            }
            assertTrue(lastSeen > 0 && lastSeen < ids.get(ids.size() - 1), "it fell behind: " + lastSeen);

            // ... and resumes from its last id: the messages after it, in order; a gap notice first
            // when history no longer reaches back that far.
            long resumeFrom = lastSeen;
            try (ChatClient<JsonObject> back = ChatClient.connect(path + "?name=stalled&since=" + resumeFrom)) {
                assertEquals("stalled", expect(back, "presence").getString("you"));
                List<Long> resumed = new ArrayList<>();
                boolean gap = false;
                long last = ids.get(ids.size() - 1);
                while (resumed.isEmpty() || resumed.get(resumed.size() - 1) != last) {
                    JsonObject f = back.next();
                    switch (f.getString("type")) {
                        case "gap" -> gap = resumed.isEmpty();
                        case "message" -> resumed.add(Long.parseLong(f.getString("id")));
                        default -> fail("unexpected " + f);
                    }
                }
                List<Long> missed = ids.stream().filter(id -> id > resumeFrom).toList();
                if (gap) {
                    assertEquals(missed.subList(missed.size() - resumed.size(), missed.size()), resumed,
                            "after a gap, every retained message, in order");
                } else {
                    assertEquals(missed, resumed, "exactly the messages missed");
                }
            }
        } finally {
            heartbeat.interrupt();
            stalled.close();
            List<CompletableFuture<Integer>> closing = new ArrayList<>();
            for (Member m : members) {
                closing.add(m.client.startClose());
            }
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (Exception notAllAnswered) {
                // dropped below
            }
            for (Member m : members) {
                m.client.socket.abort();
            }
        }
        // Everything the room held on the server is let go.
        Poll.until("no chat connections or rooms left on the server", ChatClient.WAIT,
                () -> {
                    String metrics = HubServer.metrics();
                    return HubServer.metric(metrics, "rivulet_connections", "transport", "websocket")
                            + HubServer.metric(metrics, "rivulet_chat_rooms");
                },
                left -> left == 0);
    }
}
