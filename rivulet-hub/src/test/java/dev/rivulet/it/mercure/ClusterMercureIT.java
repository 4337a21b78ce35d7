package dev.rivulet.it.mercure;

import static dev.rivulet.it.mercure.Mercure.enc;
import static dev.rivulet.it.mercure.Mercure.publish;
import static dev.rivulet.it.mercure.Mercure.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.ClusterNodes;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mercure on the two-node cluster (Redis broker, system property {@code it.cluster.ports}): ids,
 * alternate topics and data cross nodes, and a client resumes on the other node with the Mercure
 * id it last saw, the hub's own or its publisher's, exactly once.
 */
class ClusterMercureIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final int[] NODES = ClusterNodes.ports();
    private static final int A = NODES[0];
    private static final int B = NODES[1];

    private static String topic(String purpose) {
        return "https://example.com/cluster/" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static MercureClient subscribe(int node, String query, String... headers) {
        MercureClient c = MercureClient.open(node, query, headers);
        assertEquals(200, c.status(), () -> "subscribe on " + node + ": " + c.problem());
        return c;
    }

    @BeforeEach
    void bothNodesReady() {
        for (int node : NODES) {
            Poll.until("node " + node + " ready", WITHIN, () -> HubServer.send(HttpRequest.newBuilder(
                    URI.create("http://" + HubServer.HOST + ":" + node + "/health/ready")).GET().build()),
                    (HttpResponse<String> r) -> r.statusCode() == 200);
        }
    }

    @Test
    void aPublishOnOneNodeReachesMercureAndNativeSubscribersOfTheOtherWithItsIdAndAlternates() {
        String canonical = topic("canonical");
        String alternate = topic("alternate");
        try (MercureClient onB = subscribe(B, topics(alternate));
             EventStreamClient nativeOnB = EventStreamClient.open(B, null, "/api/topics/" + canonical, Format.NDJSON, null)) {
            String id = publish(A, "topic=" + enc(canonical) + "&topic=" + enc(alternate) + "&data=" + enc("a\n b")
                    + "&id=" + enc(canonical + "#1") + "&type=book&retry=2000");
            MercureClient.Frame f = onB.nextEvent();
            assertEquals(List.of("id: " + id, "event: book", "retry: 2000", "data: a", "data:  b"), f.lines());
            assertEquals("a\n b", ((JsonString) nativeOnB.nextMessage(WITHIN).json()).getString());
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeWithTheHubsIdExactlyOnce() {
        String t = topic("resume-generated");
        String last;
        try (MercureClient onA = subscribe(A, topics(t))) {
            publish(A, "topic=" + enc(t) + "&data=1");
            publish(B, "topic=" + enc(t) + "&data=2");
            onA.events(2);
            last = onA.lastEventId();
        }
        String third = publish(A, "topic=" + enc(t) + "&data=3");
        String fourth = publish(B, "topic=" + enc(t) + "&data=4");
        try (MercureClient onB = subscribe(B, topics(t), "Last-Event-ID", last)) {
            assertEquals(last, onB.header("Last-Event-ID"));
            String fifth = publish(A, "topic=" + enc(t) + "&data=5");
            List<MercureClient.Frame> got = onB.events(3);
            assertEquals(List.of(third, fourth, fifth), got.stream().map(MercureClient.Frame::id).toList());
            assertEquals(List.of("3", "4", "5"), got.stream().map(MercureClient.Frame::data).toList());
        }
    }

    @Test
    void aClientResumesOnTheOtherNodeWithAPublishersIdFoundInTheSharedHistory() {
        String t = topic("resume-custom");
        publish(A, "topic=" + enc(t) + "&data=1&id=" + enc(t + "/rev/1"));
        String second = publish(A, "topic=" + enc(t) + "&data=2&id=" + enc(t + "/rev/2"));
        try (MercureClient onB = subscribe(B, topics(t) + "&lastEventID=" + enc(t + "/rev/1"))) {
            assertEquals(t + "/rev/1", onB.header("Last-Event-ID"));
            assertEquals(second, onB.nextEvent().id());
            String third = publish(B, "topic=" + enc(t) + "&data=3");
            assertEquals(third, onB.nextEvent().id(), "then live, on the node it resumed on");
        }
    }

    @Test
    void theSubscriptionsApiIsOffByDefault() {
        HttpResponse<String> r = HubServer.send(HttpRequest.newBuilder(URI.create("http://" + HubServer.HOST + ":" + A
                + "/.well-known/mercure/subscriptions")).header("Authorization", "Bearer " + Mercure.token("{\"subscribe\":[\"*\"]}"))
                .GET().build());
        HubServer.assertProblem(r, 404, "not-found");
    }
}
