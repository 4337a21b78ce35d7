package dev.rivulet.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess.RawResponse;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.it.logs.LogStreamClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate's limits on a server of its own with tight settings: a node-wide connection limit shared
 * by every transport (SSE, NDJSON and WebSocket chat) and a per-client one (503 + Retry-After, for a
 * WebSocket before the upgrade), and a publish rate per publisher (429 + Retry-After). Clients are
 * told apart by their address: each uses a loopback address of its own.
 */
class LimitsIT {

    private static final int MAX_CONNECTIONS = 4;
    private static final int MAX_PER_CLIENT = 2;
    private static final int PUBLISH_BURST = 3;
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private static ServerProcess server;
    private final List<EventStreamClient> clients = new ArrayList<>();
    private final List<LogStreamClient> logClients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = ServerProcess.liberty("rivulet-limits", Map.of(
                "RIVULET_CONNECTIONS_MAX", Integer.toString(MAX_CONNECTIONS),
                "RIVULET_CONNECTIONS_MAX_PER_CLIENT", Integer.toString(MAX_PER_CLIENT),
                "RIVULET_CONNECTIONS_RETRY_AFTER", "PT7S",
                "RIVULET_PUBLISH_RATE", "1",
                "RIVULET_PUBLISH_BURST", Integer.toString(PUBLISH_BURST),
                "RIVULET_SSE_KEEP_ALIVE", "PT1S"));
        server.awaitReady(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void quietNode() {
        awaitOpenConnections(0);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(EventStreamClient::abort);
        logClients.forEach(LogStreamClient::abort);
    }

    private static InetAddress client(int n) {
        try {
            return InetAddress.getByName("127.0.0." + n);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static double metric(String name, String... labels) {
        return HubServer.metric(server.metrics(), name, labels);
    }

    private static void awaitOpenConnections(int expected) {
        Poll.until("open connections to be " + expected, WITHIN,
                () -> metric("rivulet_connections", "transport", "sse") + metric("rivulet_connections", "transport", "ndjson")
                        + metric("rivulet_connections", "transport", "websocket")
                        + metric("rivulet_connections", "transport", "longpoll"),
                n -> n == expected);
    }

    private EventStreamClient open(int clientNumber, Format format) {
        EventStreamClient c = EventStreamClient.open(server.port(), client(clientNumber),
                "/api/topics/" + TopicNames.unique("limits"), format, null);
        clients.add(c);
        return c;
    }

    /** Connects and expects a 503 problem with Retry-After; answers the problem. */
    private JsonObject refused(int clientNumber, Format format, String slug) {
        EventStreamClient c = EventStreamClient.connect(server.port(), client(clientNumber),
                "/api/topics/" + TopicNames.unique("limits"), format, null, 0);
        clients.add(c);
        assertEquals(503, c.status(), () -> "expected 503, got " + c.status() + " " + c.bodyText());
        assertEquals("7", c.header("Retry-After"), "rivulet.connections.retry-after is PT7S");
        assertTrue(c.header("Content-Type").startsWith("application/problem+json"), c.header("Content-Type"));
        JsonObject problem = HubServer.json(c.bodyText()).asJsonObject();
        assertEquals("urn:rivulet:problem:" + slug, problem.getString("type"));
        assertEquals(503, problem.getInt("status"));
        return problem;
    }

    @Test
    void aClientPastItsOwnLimitGets503WithRetryAfterWhileAnotherClientStillConnects() {
        double before = metric("rivulet_requests_rejected_total", "reason", "client-connection-limit");
        open(2, Format.SSE);
        open(2, Format.NDJSON);

        JsonObject problem = refused(2, Format.SSE, "client-connection-limit");
        assertTrue(problem.getString("detail").contains(Integer.toString(MAX_PER_CLIENT)), problem.toString());

        open(3, Format.SSE);
        assertEquals(before + 1, metric("rivulet_requests_rejected_total", "reason", "client-connection-limit"));
    }

    @Test
    void theNodeLimitCountsEveryTransportAndAdmitsAgainWhenAClientLeaves() {
        double before = metric("rivulet_requests_rejected_total", "reason", "connection-limit");
        EventStreamClient first = open(2, Format.SSE);
        open(2, Format.NDJSON);
        open(3, Format.NDJSON);
        open(4, Format.SSE);

        refused(5, Format.SSE, "connection-limit");
        refused(5, Format.NDJSON, "connection-limit");
        assertEquals(before + 2, metric("rivulet_requests_rejected_total", "reason", "connection-limit"));

        first.close();
        awaitOpenConnections(MAX_CONNECTIONS - 1);
        open(5, Format.SSE);
    }

    @Test
    void aWaitingLongPollIsAConnectionUnderTheSameLimits() throws Exception {
        String topic = TopicNames.unique("limits-poll");
        open(2, Format.SSE);
        try (HttpClient fromClient2 = HttpClient.newBuilder().localAddress(client(2))
                .version(HttpClient.Version.HTTP_1_1).build()) {
            HttpRequest poll = HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + server.port()
                    + "/api/poll?topic=" + topic + "&timeout=60")).timeout(Duration.ofSeconds(90)).build();
            CompletableFuture<HttpResponse<String>> waiting = fromClient2.sendAsync(poll, HttpResponse.BodyHandlers.ofString());
            Poll.until("the poll to wait as a connection", WITHIN,
                    () -> metric("rivulet_connections", "transport", "longpoll"), n -> n == 1);

            HttpResponse<String> refused = fromClient2.send(poll, HttpResponse.BodyHandlers.ofString());
            HubServer.assertProblem(refused, 503, "client-connection-limit");
            assertEquals("7", refused.headers().firstValue("Retry-After").orElse(""), "rivulet.connections.retry-after is PT7S");

            assertEquals(200, server.publishFrom(client(8), topic, "{\"wake\":true}").status());
            HttpResponse<String> answered = waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            assertTrue(answered.body().contains("\"wake\":true"), answered.body());
        }
        awaitOpenConnections(1);
    }

    /** A chat handshake the gate refuses: 503, Retry-After and the problem, instead of 101. */
    private static JsonObject refusedChat(int clientNumber, String room, String slug) throws IOException {
        RawResponse r = RawWebSocket.refusedHandshake(server.port(), client(clientNumber), "/ws/chat/" + room + "?name=late");
        assertEquals(503, r.status(), r::toString);
        assertEquals("7", r.header("Retry-After"), "rivulet.connections.retry-after is PT7S");
        assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.header("Content-Type"));
        JsonObject problem = HubServer.json(r.body()).asJsonObject();
        assertEquals("urn:rivulet:problem:" + slug, problem.getString("type"));
        return problem;
    }

    @Test
    void aChatConnectionCountsAgainstTheLimitsAndPastThemIsRefusedBeforeTheUpgrade() throws IOException {
        String room = TopicNames.unique("limits");
        double perClientBefore = metric("rivulet_requests_rejected_total", "reason", "client-connection-limit");
        double nodeBefore = metric("rivulet_requests_rejected_total", "reason", "connection-limit");
        try (RawWebSocket chat = RawWebSocket.connect(server.port(), client(2), "/ws/chat/" + room + "?name=first")) {
            assertEquals(1, metric("rivulet_connections", "transport", "websocket"));
            open(2, Format.SSE);
            refusedChat(2, room, "client-connection-limit");
            refused(2, Format.NDJSON, "client-connection-limit");

            open(3, Format.SSE);
            open(4, Format.NDJSON);
            JsonObject problem = refusedChat(5, room, "connection-limit");
            assertTrue(problem.getString("detail").contains(Integer.toString(MAX_CONNECTIONS)), problem.toString());
            // What a program's WebSocket client sees: the JDK's fails the handshake with the response.
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> ChatClient.connect(server.port(), "/ws/chat/" + room + "?name=jdk"));
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
            assertEquals(503, handshake.getResponse().statusCode());
            assertEquals("7", handshake.getResponse().headers().firstValue("Retry-After").orElse(null));
            assertEquals(perClientBefore + 2, metric("rivulet_requests_rejected_total", "reason", "client-connection-limit"));
            assertEquals(nodeBefore + 2, metric("rivulet_requests_rejected_total", "reason", "connection-limit"));
            assertEquals(1, metric("rivulet_connections", "transport", "websocket"), "the refused ones were never counted");
            chat.sendClose(1000);
        }
        // The chat client's place is free again, for a chat client or a stream.
        awaitOpenConnections(MAX_CONNECTIONS - 1);
        try (RawWebSocket again = RawWebSocket.connect(server.port(), client(5), "/ws/chat/" + room + "?name=again")) {
            assertEquals(1, metric("rivulet_connections", "transport", "websocket"));
            again.sendClose(1000);
        }
    }

    private LogStreamClient logs(int clientNumber, String query, String... headers) {
        LogStreamClient c = LogStreamClient.open(server.port(), client(clientNumber), "/api/logs?" + query, 0, headers);
        logClients.add(c);
        return c;
    }

    @Test
    void aLogTailIsAStreamingConnectionUnderTheSameLimitsWhileAnExportIsNot() {
        double rejectedBefore = metric("rivulet_requests_rejected_total", "reason", "connection-limit");
        double closedBefore = metric("rivulet_connections_closed_total", "transport", "ndjson", "reason", "client");
        open(2, Format.SSE);
        open(3, Format.SSE);
        open(4, Format.SSE);
        LogStreamClient tail = logs(5, "follow=true&service=limits");
        assertEquals(200, tail.status());
        assertEquals(1.0, metric("rivulet_connections", "transport", "ndjson"), "a tail counts as an NDJSON connection");

        LogStreamClient refused = logs(6, "follow=true&service=limits", "Accept", "text/event-stream");
        assertEquals(503, refused.status());
        assertEquals("7", refused.header("Retry-After"), "rivulet.connections.retry-after is PT7S");
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"), refused.header("Content-Type"));
        assertEquals("urn:rivulet:problem:connection-limit",
                HubServer.json(refused.rest()).asJsonObject().getString("type"));
        assertEquals(rejectedBefore + 1, metric("rivulet_requests_rejected_total", "reason", "connection-limit"));

        LogStreamClient export = logs(6, "service=limits");
        assertEquals(200, export.status(), "a finite export stays outside the gate");
        assertEquals(null, export.nextEntry(), "the export ends");

        tail.close();
        awaitOpenConnections(MAX_CONNECTIONS - 1);
        // The tail's permit is released as a client close; the gauge and the counter move in one release.
        Poll.until("the tail counted as closed by its client", WITHIN,
                () -> metric("rivulet_connections_closed_total", "transport", "ndjson", "reason", "client"),
                n -> n == closedBefore + 1);
        LogStreamClient sseTail = logs(6, "follow=true&service=limits", "Accept", "text/event-stream");
        assertEquals(200, sseTail.status());
        assertEquals(4.0, metric("rivulet_connections", "transport", "sse"), "three event streams and an SSE tail");
    }

    @Test
    void aPublisherPastItsRateGets429WithRetryAfterWhileOthersStillPublish() {
        String topic = TopicNames.unique("rate");
        double before = metric("rivulet_requests_rejected_total", "reason", "publish-rate");
        int accepted = 0;
        RawResponse refused = null;
        // At 1 a second with a burst of 3, the fourth publish in quick succession is over the rate.
        for (int i = 0; i < 10 && refused == null; i++) {
            RawResponse r = server.publishFrom(client(6), topic, "{\"n\":" + i + "}");
            if (r.status() == 200) {
                accepted++;
            } else {
                refused = r;
            }
        }
        if (refused == null) {
            fail("ten publishes in a row were all accepted at a rate of 1 a second");
        }
        assertTrue(accepted >= PUBLISH_BURST, "the burst goes through: accepted " + accepted);
        assertEquals(429, refused.status(), refused.body());
        assertEquals("1", refused.header("Retry-After"), "the next token is at most a second away");
        assertTrue(refused.header("Content-Type").startsWith("application/problem+json"));
        assertEquals("urn:rivulet:problem:publish-rate", HubServer.json(refused.body()).asJsonObject().getString("type"));
        assertTrue(metric("rivulet_requests_rejected_total", "reason", "publish-rate") >= before + 1);

        assertEquals(200, server.publishFrom(client(7), topic, "{\"other\":true}").status(),
                "another publisher has a bucket of its own");
        Poll.until("the refused publisher to be accepted again", Duration.ofSeconds(5),
                () -> server.publishFrom(client(6), topic, "{\"again\":true}").status(), s -> s == 200);
    }
}
