package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess.RawResponse;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.it.logs.LogStreamClient;
import dev.rivulet.it.logs.LogsApi;
import dev.rivulet.it.mercure.MercureClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the README tells operators to do before {@code server stop}: drain with
 * {@code POST /api/ops/drain}, then stop. Readiness goes DOWN, new streams, chat connections and
 * publishes get 503, every stream gets what it was sent and a {@code shutdown} notice, a chat client
 * a {@code shutdown} frame and a close with 1001, a client that stopped reading is cut off when the
 * grace runs out, and the server then stops well within the grace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulShutdownIT {

    private static final String TOKEN = "drain-" + java.util.UUID.randomUUID();
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long RETRY_MIN_MS = 1000;
    private static final long RETRY_MAX_MS = 3000;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static ServerProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.liberty("rivulet-drain", Map.of(
                "RIVULET_SHUTDOWN_GRACE", "PT5S",
                "RIVULET_SHUTDOWN_RETRY_MIN", "PT1S",
                "RIVULET_SHUTDOWN_RETRY_MAX", "PT3S",
                "RIVULET_SHUTDOWN_DRAIN_TOKEN", TOKEN,
                "RIVULET_SSE_KEEP_ALIVE", "PT1S"));
        server.awaitReady(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> drain(String... headers) {
        return server.post("/api/ops/drain", "application/json", "", headers);
    }

    @Test
    @Order(1)
    void theDrainEndpointRefusesAnyoneWithoutTheToken() {
        HttpResponse<String> none = drain();
        assertEquals(401, none.statusCode(), none.body());
        assertEquals("Bearer realm=\"rivulet\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("urn:rivulet:problem:unauthorized", HubServer.json(none.body()).asJsonObject().getString("type"));

        assertEquals(401, drain("Authorization", "Bearer " + TOKEN + "x").statusCode());
        assertEquals(401, drain("Authorization", "Basic " + TOKEN).statusCode());
        assertEquals(200, server.get("/health/ready").statusCode(), "a refused drain leaves the node serving");
    }

    @Test
    @Order(2)
    void drainingBeforeServerStopSaysGoodbyeToEveryStreamAndTheServerStopsWithinTheGrace() throws Exception {
        String topic = TopicNames.unique("drain");
        String path = "/api/topics/" + topic;
        EventStreamClient sse = EventStreamClient.open(server.port(), null, path, Format.SSE, null);
        EventStreamClient ndjson = EventStreamClient.open(server.port(), null, path, Format.NDJSON, null);
        // A Mercure subscriber of the same topic: its farewell is a retry: alone, then the end.
        MercureClient mercure = MercureClient.open(server.port(), "topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
        // Reads nothing through a small window: large events soon block the server's writes to it.
        EventStreamClient stalled = EventStreamClient.connect(server.port(), null, path, Format.SSE, null, 4096);
        String room = TopicNames.unique("drain");
        ChatClient<JsonObject> chat = ChatClient.connect(server.port(), "/ws/chat/" + room + "?name=leaving");
        // Log tails are drained like the hub's streams.
        String service = TopicNames.unique("drain-svc");
        LogStreamClient logTail = LogStreamClient.open(server.port(), null, "/api/logs?follow=true&service=" + service, 0);
        LogStreamClient logSseTail = LogStreamClient.open(server.port(), null, "/api/logs?follow=true&service=" + service, 0,
                "Accept", "text/event-stream");
        try {
            ChatClient.expect(chat, "presence");
            ChatClient.expect(chat, "history");
            assertEquals(200, logTail.status());
            assertEquals(200, logSseTail.status());
            assertEquals(200, mercure.status(), mercure::problem);
            Poll.until("four streams, a chat room's subscriber and two log tails", WITHIN,
                    () -> HubServer.metric(server.metrics(), "rivulet_subscribers"), n -> n == 7);
            HttpResponse<String> ingested = server.post("/api/logs", "application/x-ndjson",
                    LogsApi.line(service, "info", "before the drain", ""));
            assertEquals(200, ingested.statusCode(), ingested.body());
            assertEquals("before the drain", logTail.nextEntry().getString("message"));
            assertEquals("log", logSseTail.nextFrame().event());
            List<String> ids = new ArrayList<>();
            String big = "\"" + "x".repeat(900_000) + "\"";
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = server.post("/api/topics/" + topic, "application/json", big);
                assertEquals(200, r.statusCode(), r.body());
                JsonObject body = HubServer.json(r.body()).asJsonObject();
                assertEquals(4, body.getInt("delivered_to"), "the log tails follow the logs, not this topic");
                ids.add(body.getString("id"));
            }
            String last = ids.get(ids.size() - 1);
            // A long poll waiting on a quiet topic is a connection the drain answers at once.
            HttpRequest pollRequest = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                    + "/api/poll?topic=" + TopicNames.unique("drain-poll") + "&timeout=110"))
                    .timeout(Duration.ofSeconds(150)).build();
            CompletableFuture<HttpResponse<String>> poll = HubServer.HTTP.sendAsync(pollRequest,
                    HttpResponse.BodyHandlers.ofString());
            Poll.until("the long poll to wait", WITHIN,
                    () -> HubServer.metric(server.metrics(), "rivulet_connections", "transport", "longpoll"), n -> n == 1);
            HttpResponse<String> readyBefore = server.get("/health/ready");
            assertEquals(200, readyBefore.statusCode(), readyBefore.body());

            long drainStart = System.nanoTime();
            CompletableFuture<HttpResponse<String>> drained = CompletableFuture.supplyAsync(
                    () -> drain("Authorization", "Bearer " + TOKEN));

            // While the drain waits for the stalled client: not ready, no new streams, no new events.
            HttpResponse<String> ready = Poll.until("readiness to go DOWN", WITHIN,
                    () -> server.get("/health/ready"), r -> r.statusCode() == 503);
            assertTrue(ready.body().contains("\"draining\":true"), ready.body());
            HttpResponse<String> answered = poll.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, answered.statusCode(), answered.body());
            List<JsonObject> pollEvents = HubServer.json(answered.body()).asJsonObject().getJsonArray("events")
                    .getValuesAs(JsonObject.class);
            assertEquals(1, pollEvents.size(), answered.body());
            assertEquals("shutdown", pollEvents.getFirst().getString("type"), "the waiting poll is told to go: " + answered.body());
            assertTrue(!drained.isDone(), "the drain is still waiting for the client that does not read");
            try (EventStreamClient late = EventStreamClient.connect(server.port(), null, path, Format.SSE, null, 0)) {
                assertEquals(503, late.status());
                assertTrue(late.header("Retry-After") != null, "a refused stream is told when to retry");
                assertEquals("urn:rivulet:problem:draining",
                        HubServer.json(late.bodyText()).asJsonObject().getString("type"));
            }
            HttpResponse<String> publish = server.post(path, "application/json", "{\"late\":true}");
            assertEquals(503, publish.statusCode(), publish.body());
            assertTrue(publish.headers().firstValue("Retry-After").isPresent());
            RawResponse lateChat = RawWebSocket.refusedHandshake(server.port(), null, "/ws/chat/" + room + "?name=late");
            assertEquals(503, lateChat.status(), lateChat::toString);
            assertTrue(lateChat.header("Retry-After") != null, "a refused chat connection is told when to retry");
            assertEquals("urn:rivulet:problem:draining", HubServer.json(lateChat.body()).asJsonObject().getString("type"));

            // A chat client gets the shutdown frame, then a close with 1001 (going away).
            JsonObject farewell = chat.next();
            assertEquals("shutdown", farewell.getString("type"), farewell.toString());
            long chatRetry = farewell.getJsonNumber("retry_ms").longValue();
            assertTrue(chatRetry >= RETRY_MIN_MS && chatRetry <= RETRY_MAX_MS, "retry_ms " + chatRetry);
            assertEquals(1001, chat.awaitClose());

            // Readers get every event accepted before the drain, then the notice, then the end.
            assertEquals(ids, sse.readThrough(last, WITHIN).stream().map(StreamMessage::id).toList());
            StreamMessage notice = sse.nextMessage(WITHIN);
            assertTrue(notice.isControl("shutdown"), () -> "expected the shutdown notice, got " + notice);
            long retryMs = notice.json().asJsonObject().getJsonNumber("retry_ms").longValue();
            assertTrue(retryMs >= RETRY_MIN_MS && retryMs <= RETRY_MAX_MS, "retry_ms " + retryMs);
            assertEquals(Long.toString(retryMs), notice.retry(), "SSE retry: sets EventSource's reconnect delay");
            assertNull(sse.nextMessage(WITHIN), "the stream ends after the notice");
            assertTrue(sse.endedWithLastChunk(), "the server ended the response cleanly");

            assertEquals(ids, ndjson.readThrough(last, WITHIN).stream().map(StreamMessage::id).toList());
            StreamMessage ndNotice = ndjson.nextMessage(WITHIN);
            assertTrue(ndNotice.isControl("shutdown"), () -> "expected the shutdown notice, got " + ndNotice);
            long ndRetry = ndNotice.json().asJsonObject().getJsonNumber("retry_ms").longValue();
            assertTrue(ndRetry >= RETRY_MIN_MS && ndRetry <= RETRY_MAX_MS, "retry_ms " + ndRetry);
            assertNull(ndjson.nextMessage(WITHIN));

            List<MercureClient.Frame> mercureFrames = mercure.untilEnd();
            assertEquals(ids.size() + 2, mercureFrames.size(), "the opening id, the events, the retry");
            MercureClient.Frame mercureNotice = mercureFrames.get(mercureFrames.size() - 1);
            assertNull(mercureNotice.data(), "shutdown is not Mercure: no event, only the reconnection delay");
            long mercureRetry = Long.parseLong(mercureNotice.retry());
            assertTrue(mercureRetry >= RETRY_MIN_MS && mercureRetry <= RETRY_MAX_MS, "retry " + mercureRetry);
            assertEquals(ids.size(), mercureFrames.stream().filter(MercureClient.Frame::isEvent).count());

            JsonObject logNotice = logTail.nextEntry();
            assertEquals("shutdown", logNotice.getString("type"), logNotice.toString());
            long logRetry = logNotice.getJsonObject("data").getJsonNumber("retry_ms").longValue();
            assertTrue(logRetry >= RETRY_MIN_MS && logRetry <= RETRY_MAX_MS, "retry_ms " + logRetry);
            assertNull(logTail.nextEntry(), "the log tail ends after the notice");
            LogStreamClient.Frame logSseNotice = logSseTail.nextFrame();
            assertEquals("shutdown", logSseNotice.event(), logSseNotice.toString());
            long logSseRetry = HubServer.json(logSseNotice.data()).asJsonObject().getJsonNumber("retry_ms").longValue();
            assertEquals(Long.toString(logSseRetry), logSseNotice.retry(), "SSE retry: sets EventSource's reconnect delay");
            assertNull(logSseTail.nextFrame(), "the SSE log tail ends after the notice");
            try (LogStreamClient lateTail = LogStreamClient.open(server.port(), null, "/api/logs?follow=true", 0)) {
                assertEquals(503, lateTail.status());
                assertTrue(lateTail.header("Retry-After") != null, "a refused tail is told when to retry");
                assertEquals("urn:rivulet:problem:draining",
                        HubServer.json(lateTail.rest()).asJsonObject().getString("type"));
            }

            // The client that never read is cut off when the grace runs out: the drain ends then.
            HttpResponse<String> report = drained.get(GRACE.toSeconds() + 15, TimeUnit.SECONDS);
            long drainMillis = (System.nanoTime() - drainStart) / 1_000_000;
            assertEquals(200, report.statusCode(), report.body());
            JsonObject r = HubServer.json(report.body()).asJsonObject();
            assertEquals(8, r.getInt("connections"), report.body());
            assertEquals(1, r.getInt("forced"), report.body());
            assertTrue(r.getJsonNumber("elapsed_ms").longValue() <= GRACE.toMillis() + 1000, report.body());
            assertTrue(drainMillis < GRACE.toMillis() + 3000, "the drain answered after " + drainMillis + " ms");
            assertEquals(503, server.get("/health/ready").statusCode(), "a drained node stays out of service");
        } finally {
            sse.abort();
            ndjson.abort();
            mercure.close();
            stalled.abort();
            chat.abort();
            logTail.abort();
            logSseTail.abort();
        }

        long stopStart = System.nanoTime();
        assertEquals(0, server.serverStop());
        assertTrue(server.awaitExit(GRACE), "the drained server did not exit within the " + GRACE.toSeconds()
                + " s grace of server stop:\n" + server.output());
        long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
        assertTrue(stopMillis < GRACE.toMillis(), "server stop took " + stopMillis + " ms");
    }
}
