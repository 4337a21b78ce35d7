package dev.rivulet.it.cluster;

import static dev.rivulet.it.chat.ChatClient.expect;
import static dev.rivulet.it.chat.ChatClient.joined;
import static dev.rivulet.it.chat.ChatClient.left;
import static dev.rivulet.it.chat.ChatClient.messageWithText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.ClusterNodes;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.logs.LogStreamClient;
import dev.rivulet.it.logs.LogsApi;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.StreamMessage;
import dev.rivulet.testing.EmbeddedRedisServer;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one Redis act as one hub: a publish on either reaches the subscribers of both, one
 * id resumes on either, and a Redis that goes away loses nothing accepted.
 */
class ClusterIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final int[] NODES = ClusterNodes.ports();
    private static final int A = NODES[0];
    private static final int B = NODES[1];

    private static String topic(String purpose) {
        return "cluster/" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static HttpResponse<String> publishRaw(int node, String topic, String query, String data) {
        return HubServer.send(HttpRequest.newBuilder(URI.create("http://" + HubServer.HOST + ":" + node + "/api/topics/"
                        + topic + (query == null ? "" : "?" + query)))
                .timeout(HubServer.REQUEST_TIMEOUT)
                .header("Authorization", HubServer.AUTHORIZATION)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(data))
                .build());
    }

    private static JsonObject publish(int node, String topic, String query, String data) {
        HttpResponse<String> r = publishRaw(node, topic, query, data);
        assertEquals(200, r.statusCode(), () -> "publish on " + node + ": " + r.body());
        return HubServer.json(r.body()).asJsonObject();
    }

    private static HttpResponse<String> ready(int node) {
        return HubServer.send(HttpRequest.newBuilder(URI.create("http://" + HubServer.HOST + ":" + node + "/health/ready"))
                .timeout(HubServer.REQUEST_TIMEOUT).GET().build());
    }

    private static String subscribePath(String... topics) {
        StringBuilder path = new StringBuilder("/api/subscribe");
        char sep = '?';
        for (String t : topics) {
            path.append(sep).append("topic=").append(URLEncoder.encode(t, StandardCharsets.UTF_8));
            sep = '&';
        }
        return path.toString();
    }

    /** Both nodes reach Redis before each test (one test takes it away). */
    @BeforeEach
    void bothNodesReady() {
        for (int node : NODES) {
            Poll.until("node " + node + " ready", WITHIN, () -> ready(node), r -> r.statusCode() == 200);
        }
    }

    @Test
    void aPublishOnOneNodeReachesStreamAndChatSubscribersOnBothWithTheSameIdTypeAndData() {
        String topic = topic("both");
        List<EventStreamClient> clients = new ArrayList<>();
        try {
            for (int node : NODES) {
                for (Format f : Format.values()) {
                    clients.add(EventStreamClient.open(node, null, "/api/topics/" + topic, f, null));
                }
            }
            JsonObject published = publish(A, topic, "type=order", "{\"n\":1}");
            assertEquals(2, published.getInt("nodes"), published.toString());
            assertEquals(2, published.getInt("delivered_to"), "this node's own subscribers: " + published);
            for (EventStreamClient c : clients) {
                StreamMessage m = c.nextMessage(WITHIN);
                assertTrue(m != null && m.isEvent(), "an event: " + m);
                assertEquals(published.getString("id"), m.id());
                assertEquals("order", m.type());
                assertEquals("{\"n\":1}", m.data());
            }
        } finally {
            clients.forEach(EventStreamClient::abort);
        }

        String room = HubServer.room("cluster");
        try (ChatClient<JsonObject> alice = ChatClient.connect(A, "/ws/chat/" + room + "?name=alice");
             ChatClient<JsonObject> bob = ChatClient.connect(B, "/ws/chat/" + room + "?name=bob")) {
            expect(alice, "presence");
            expect(alice, "history");
            expect(bob, "presence");
            expect(bob, "history");
            alice.say("hello from A");
            bob.await(messageWithText("hello from A"));
            bob.say("hello from B");
            alice.await(messageWithText("hello from B"));
        }
    }

    @Test
    void aSubscriberCutOffOnOneNodeResumesOnTheOtherAndGetsEachEventOnceInIdOrder() throws Exception {
        String[] topics = {topic("one"), topic("two"), topic("three")};
        String path = subscribePath(topics);
        List<String> published = new ArrayList<>();
        List<String> received = new ArrayList<>();
        // Subscribed before the first publish: a stream without an id starts now.
        EventStreamClient first = EventStreamClient.open(A, null, path, Format.NDJSON, null);
        Thread publisher = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 1000; i++) {
                JsonObject p = publish(i % 2 == 0 ? A : B, topics[i % 3], null, "{\"i\":" + i + "}");
                synchronized (published) {
                    published.add(p.getString("id"));
                }
            }
        });
        try {
            while (received.size() < 100) {
                StreamMessage m = first.nextMessage(WITHIN);
                assertTrue(m != null && m.isEvent(), "an event: " + m);
                received.add(m.id());
            }
        } finally {
            first.abort(); // cut off in the middle of the stream
        }
        publisher.join(120_000);
        assertEquals(1000, published.size(), "every publish was accepted");
        String last = published.get(published.size() - 1);
        try (EventStreamClient resumed = EventStreamClient.open(B, null, path, Format.NDJSON, received.get(received.size() - 1))) {
            for (StreamMessage m : resumed.readThrough(last, WITHIN)) {
                if (m.isEvent()) {
                    received.add(m.id());
                } else {
                    assertTrue(m.isKeepAlive(), "no gap or other notice: history holds everything: " + m);
                }
            }
        }
        List<String> inIdOrder = new ArrayList<>(published);
        inIdOrder.sort((x, y) -> Long.compare(Long.parseLong(x), Long.parseLong(y)));
        assertEquals(published, inIdOrder, "ids increase in publish order, across both nodes");
        assertEquals(published, received, "each event once, in id order, across the cut and the change of node");
    }

    @Test
    void whileRedisIsAwayPublishesAreRefusedAndNodesNotReadyAndNothingAcceptedIsLost() throws Exception {
        String topic = topic("redis-away");
        int redisPort = Integer.getInteger("it.redis.port");
        Path redisDir = Path.of(System.getProperty("it.redis.dir"));
        List<ResumingReader> readers = new ArrayList<>();
        for (int node : NODES) {
            readers.add(new ResumingReader(node, "/api/topics/" + topic));
        }
        try {
            String before = publish(A, topic, null, "{\"when\":\"before\"}").getString("id");
            for (ResumingReader r : readers) {
                r.readUntil(before);
            }
            EmbeddedRedisServer.stop(redisPort);
            try {
                for (int node : NODES) {
                    HttpResponse<String> refused = publishRaw(node, topic, null, "{\"when\":\"during\"}");
                    HubServer.assertProblem(refused, 503, "broker-unavailable");
                    assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "503 says when to retry");
                    HttpResponse<String> down = Poll.until("node " + node + " not ready", WITHIN, () -> ready(node),
                            r -> r.statusCode() == 503);
                    assertTrue(down.body().contains("\"broker\":\"DOWN"), down.body());
                }
            } finally {
                EmbeddedRedisServer.start(redisPort, redisDir);
            }
            for (int node : NODES) {
                Poll.until("node " + node + " ready again", WITHIN, () -> ready(node), r -> r.statusCode() == 200);
            }
            String after = publish(B, topic, null, "{\"when\":\"after\"}").getString("id");
            for (ResumingReader r : readers) {
                r.readUntil(after);
                assertEquals(List.of(before, after), r.events, "each accepted event once, none refused: " + r.seen);
            }
        } finally {
            readers.forEach(ResumingReader::close);
        }
    }

    @Test
    void theClientsOfANodeThatDiesResumeOnAnotherAndMissNothingHistoryHolds() throws Exception {
        String topic = topic("node-dies");
        String path = "/api/topics/" + topic;
        try (ServerProcess doomed = ServerProcess.runnableJar("cluster-node-c", Map.of(
                "RIVULET_BROKER", "redis",
                "RIVULET_REDIS_URI", "redis://127.0.0.1:" + Integer.getInteger("it.redis.port"),
                "RIVULET_SSE_KEEP_ALIVE", "PT1S"))) {
            doomed.awaitReady(Duration.ofMinutes(2));
            List<EventStreamClient> clients = new ArrayList<>();
            List<List<String>> received = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(EventStreamClient.open(doomed.port(), null, path, i == 0 ? Format.NDJSON : Format.SSE, null));
                received.add(new ArrayList<>());
            }
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                published.add(publish(i % 2 == 0 ? A : B, topic, null, "{\"i\":" + i + "}").getString("id"));
                if (i == 150) {
                    for (int c = 0; c < clients.size(); c++) {
                        received.get(c).addAll(ids(clients.get(c).readThrough(published.get(100), WITHIN)));
                    }
                    doomed.kill();
                }
            }
            for (int c = 0; c < clients.size(); c++) {
                clients.get(c).abort();
                List<String> mine = received.get(c);
                Format format = c == 0 ? Format.NDJSON : Format.SSE;
                try (EventStreamClient resumed = EventStreamClient.open(B, null, path, format, mine.get(mine.size() - 1))) {
                    mine.addAll(ids(resumed.readThrough(published.get(published.size() - 1), WITHIN)));
                }
                assertEquals(published, mine, "client " + c + ": each event once, in order, across the node's death");
            }
        }
    }

    @Test
    void presenceIsTheClustersAndTheMembersOfANodeThatDiesLeaveWithinTheirLifetime() throws Exception {
        String room = HubServer.room("presence");
        String path = "/ws/chat/" + room + "?name=";
        try (ServerProcess doomed = ServerProcess.runnableJar("cluster-chat-node", Map.of(
                "RIVULET_BROKER", "redis",
                "RIVULET_REDIS_URI", "redis://127.0.0.1:" + Integer.getInteger("it.redis.port"),
                "RIVULET_CHAT_PRESENCE_TTL", "PT3S"));
             ChatClient<JsonObject> alice = ChatClient.connect(A, path + "alice");
             ChatClient<JsonObject> bob = ChatClient.connect(B, path + "bob")) {
            expect(alice, "presence");
            expect(alice, "history");
            assertEquals(Set.of("bob", "alice"), Set.copyOf(users(expect(bob, "presence"))), "bob is shown alice, on the other node");
            doomed.awaitReady(Duration.ofMinutes(2));
            ChatClient<JsonObject> erin = ChatClient.connect(doomed.port(), path + "erin");
            try {
                assertEquals(Set.of("alice", "bob", "erin"), Set.copyOf(users(expect(erin, "presence"))));
                alice.await(joined("erin"));
                bob.await(joined("erin"));
                try (ChatClient<JsonObject> secondAlice = ChatClient.connect(B, path + "alice")) {
                    assertEquals("alice-2", expect(secondAlice, "presence").getString("you"),
                            "a name another node holds is not given twice");
                }
                doomed.kill();
                alice.await(left("erin"));
                bob.await(left("erin"));
            } finally {
                erin.abort();
            }
            try (ChatClient<JsonObject> frank = ChatClient.connect(A, path + "frank")) {
                assertEquals(Set.of("alice", "bob", "frank"), Set.copyOf(users(expect(frank, "presence"))),
                        "the dead node's member is gone from presence");
            }
        }
    }

    private static List<String> users(JsonObject presence) {
        return presence.getJsonArray("users").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList();
    }

    @Test
    void aLogEntryIngestedOnOneNodeReachesATailOnTheOther() {
        String service = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
        try (LogStreamClient tail = LogStreamClient.open(B, null, "/api/logs?follow=true&service=" + service, 0)) {
            assertEquals(200, tail.status());
            HttpResponse<String> ingested = HubServer.send(HttpRequest.newBuilder(
                            URI.create("http://" + HubServer.HOST + ":" + A + "/api/logs"))
                    .timeout(HubServer.REQUEST_TIMEOUT)
                    .header("Authorization", HubServer.AUTHORIZATION)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(LogsApi.line(service, "info", "from-a", "")))
                    .build());
            assertEquals(200, ingested.statusCode(), ingested.body());
            JsonObject entry = tail.nextEntry();
            assertTrue(entry != null, "the tail on B got the entry ingested on A");
            assertEquals("from-a", entry.getString("message"));
            assertEquals(service, entry.getString("service"));
        }
    }

    private static List<String> ids(List<StreamMessage> messages) {
        List<String> ids = new ArrayList<>();
        for (StreamMessage m : messages) {
            assertTrue(m.isEvent() || m.isKeepAlive(), "only events: history holds everything: " + m);
            if (m.isEvent()) {
                ids.add(m.id());
            }
        }
        return ids;
    }

    /**
     * A subscriber that resumes with its last id whenever its stream ends, as EventSource does, and
     * keeps what it saw: events, and notices such as {@code gap}.
     */
    private static final class ResumingReader implements AutoCloseable {
        private final int node;
        private final String path;
        private EventStreamClient client;
        private String lastId;
        final List<String> events = new ArrayList<>();
        final List<String> seen = new ArrayList<>();

        ResumingReader(int node, String path) {
            this.node = node;
            this.path = path;
            this.client = EventStreamClient.open(node, null, path, Format.SSE, null);
        }

        void readUntil(String id) {
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (!id.equals(lastId)) {
                assertTrue(System.nanoTime() < deadline, "event " + id + " did not arrive on " + node + "; saw " + seen);
                StreamMessage m = client.nextMessage(WITHIN);
                if (m == null) {
                    client.abort();
                    seen.add("(resumed)");
                    client = EventStreamClient.open(node, null, path, Format.SSE, lastId);
                    continue;
                }
                seen.add(m.kind() + " " + m.type() + " " + m.id());
                if (m.isEvent()) {
                    events.add(m.id());
                    lastId = m.id();
                }
            }
        }

        @Override
        public void close() {
            client.abort();
        }
    }
}
