package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /metrics follows clients as they come and go, and counts what they were sent. */
class MetricsIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static final String CONNECTIONS = "rivulet_connections";
    private static final String DELIVERED = "rivulet_events_delivered_total";
    private static final String CLOSED = "rivulet_connections_closed_total";
    private static final String PUBLISHED = "rivulet_events_published_total";
    private static final String LATENCY_COUNT = "rivulet_delivery_latency_seconds_count";
    private static final String RESUMES = "rivulet_resumes_total";

    private static double value(String name, String... labels) {
        return HubServer.metric(HubServer.metrics(), name, labels);
    }

    private static void awaitValue(String name, double expected, String... labels) {
        Poll.until(name + " " + String.join(",", labels) + " to be " + expected, WITHIN,
                () -> value(name, labels), v -> v == expected);
    }

    @Test
    void connectionsAndDeliveriesMoveAsClientsComeAndGo() {
        // Streams of earlier tests are released within a keep-alive: start from a quiet node.
        awaitValue(CONNECTIONS, 0, "transport", "sse");
        awaitValue(CONNECTIONS, 0, "transport", "ndjson");
        Map<String, Double> before = Map.of(
                "sse", value(DELIVERED, "transport", "sse"),
                "ndjson", value(DELIVERED, "transport", "ndjson"),
                "published", value(PUBLISHED),
                "latency", value(LATENCY_COUNT),
                "closedSse", value(CLOSED, "transport", "sse", "reason", "client"),
                "closedNdjson", value(CLOSED, "transport", "ndjson", "reason", "client"));

        String topic = TopicNames.unique("metrics");
        String path = "/api/topics/" + topic;
        EventStreamClient sse1 = EventStreamClient.open(path, Format.SSE);
        EventStreamClient sse2 = EventStreamClient.open(path, Format.SSE);
        EventStreamClient ndjson = EventStreamClient.open(path, Format.NDJSON);
        try {
            assertEquals(2, value(CONNECTIONS, "transport", "sse"));
            assertEquals(1, value(CONNECTIONS, "transport", "ndjson"));

            List<Published> published = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                published.add(HubServer.publish(topic, "{\"n\":" + i + "}"));
            }
            String last = published.get(2).id();
            for (EventStreamClient c : List.of(sse1, sse2, ndjson)) {
                assertEquals(3, c.readThrough(last, WITHIN).size());
            }

            awaitValue(DELIVERED, before.get("sse") + 6, "transport", "sse");
            awaitValue(DELIVERED, before.get("ndjson") + 3, "transport", "ndjson");
            assertEquals(before.get("published") + 3, value(PUBLISHED));
            awaitValue(LATENCY_COUNT, before.get("latency") + 9);

            // One leaves politely, one vanishes: both are counted as closed by the client.
            sse1.close();
            ndjson.abort();
            awaitValue(CONNECTIONS, 1, "transport", "sse");
            awaitValue(CONNECTIONS, 0, "transport", "ndjson");
            awaitValue(CLOSED, before.get("closedSse") + 1, "transport", "sse", "reason", "client");
            awaitValue(CLOSED, before.get("closedNdjson") + 1, "transport", "ndjson", "reason", "client");

            // Replayed events count as delivered, but not as latency: their age is the client's absence.
            double latencyBeforeResume = value(LATENCY_COUNT);
            double fromHistory = value(RESUMES, "result", "history");
            double afterGap = value(RESUMES, "result", "gap");
            try (EventStreamClient resumed = EventStreamClient.open(path, Format.SSE, published.get(0).id());
                 EventStreamClient unknown = EventStreamClient.open(path, Format.SSE, "not-an-id")) {
                assertEquals(2, resumed.readThrough(last, WITHIN).size());
                assertTrue(unknown.nextMessage(WITHIN).isControl("gap"));
                awaitValue(DELIVERED, before.get("sse") + 6 + 2 + 3, "transport", "sse");
                assertEquals(fromHistory + 1, value(RESUMES, "result", "history"));
                assertEquals(afterGap + 1, value(RESUMES, "result", "gap"));
                assertEquals(latencyBeforeResume, value(LATENCY_COUNT));
                assertEquals(3, value(CONNECTIONS, "transport", "sse"));
            }
        } finally {
            sse1.abort();
            sse2.abort();
            ndjson.abort();
        }
        awaitValue(CONNECTIONS, 0, "transport", "sse");
    }

    @Test
    void aChatClientIsAWebSocketConnectionUntilItLeavesAndWhatItIsSentIsDelivered() {
        // Chat clients of earlier tests are let go once their close completes: start from none.
        awaitValue(CONNECTIONS, 0, "transport", "websocket");
        double delivered = value(DELIVERED, "transport", "websocket");
        double closedByClient = value(CLOSED, "transport", "websocket", "reason", "client");

        try (ChatClient<JsonObject> alice = ChatClient.connect("/ws/chat/" + HubServer.room("metrics") + "?name=alice")) {
            assertEquals(1, value(CONNECTIONS, "transport", "websocket"), "counted by the gate before the handshake ended");
            alice.say("counted");
            alice.await(ChatClient.messageWithText("counted"));
            awaitValue(DELIVERED, delivered + 1, "transport", "websocket");
            assertEquals(0, value(CONNECTIONS, "transport", "sse"), "a chat client is no stream");
        }
        awaitValue(CONNECTIONS, 0, "transport", "websocket");
        awaitValue(CLOSED, closedByClient + 1, "transport", "websocket", "reason", "client");
    }
}
