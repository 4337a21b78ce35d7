package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A drain with a thousand clients that stopped reading, every one with a write stuck on its
 * socket: the node keeps answering while it drains, no platform thread waits on them, the drain
 * ends within the grace, and the server exits soon after {@code server stop}. The write deadline
 * is the grace here, as in the defaults (both 10 s), so a write stuck when the drain begins has
 * failed by the time the grace runs out.
 */
class StalledDrainIT {

    private static final String TOKEN = "drain-" + java.util.UUID.randomUUID();
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final int STALLED = 1000;
    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** The longest a request may take during the drain and still count as answered promptly. */
    private static final Duration PROMPT = Duration.ofSeconds(2);

    private static ServerProcess server;

    @BeforeAll
    static void start() {
        server = ServerProcess.liberty("rivulet-stalled-drain", Map.of(
                "RIVULET_SHUTDOWN_GRACE", "PT5S",
                "HTTP_WRITE_TIMEOUT", "5s",
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

    private double platformThreads() {
        return HubServer.metric(server.metrics(), "thread_count", "mp_scope", "base");
    }

    @Test
    void aThousandStalledClientsAreCutOffWithinTheGraceWhileTheNodeAnswers() throws Exception {
        String topic = TopicNames.unique("stalled-drain");
        String path = "/api/topics/" + topic;
        List<EventStreamClient> stalled = new ArrayList<>();
        ExecutorService probes = Executors.newSingleThreadExecutor();
        try (EventStreamClient reader = EventStreamClient.open(server.port(), null, path, Format.SSE, null)) {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(EventStreamClient.connect(server.port(), null, path, Format.SSE, null, 4096));
            }
            Poll.until("every stream subscribed", WITHIN,
                    () -> HubServer.metric(server.metrics(), "rivulet_subscribers"), n -> n == STALLED + 1);
            double threadsBefore = platformThreads();

            // 16 KiB events, a few hundred KiB in all: more than each stalled socket takes, so every
            // stalled stream has a write stuck on its socket when the drain begins.
            String event = "\"" + "x".repeat(16 * 1024) + "\"";
            String last = null;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = server.post(path, "application/json", event);
                assertEquals(200, r.statusCode(), r.body());
                last = HubServer.json(r.body()).asJsonObject().getString("id");
            }
            String lastId = last;
            assertEquals(lastId, reader.readThrough(lastId, WITHIN).getLast().id(), "the reader keeps up");

            // While it drains, the node answers: liveness and the metrics, each within a moment.
            AtomicLong slowest = new AtomicLong();
            AtomicLong mostThreads = new AtomicLong();
            AtomicReference<String> failure = new AtomicReference<>();
            CompletableFuture<HttpResponse<String>> drained = CompletableFuture.supplyAsync(
                    () -> server.post("/api/ops/drain", "application/json", "", "Authorization", "Bearer " + TOKEN));
            probes.execute(() -> {
                while (!drained.isDone()) {
                    long begin = System.nanoTime();
                    HttpResponse<String> live = server.get("/health/live");
                    if (live.statusCode() != 200) {
                        failure.compareAndSet(null, "/health/live answered " + live.statusCode() + ": " + live.body());
                    }
                    mostThreads.accumulateAndGet((long) platformThreads(), Math::max);
                    slowest.accumulateAndGet(System.nanoTime() - begin, Math::max);
                }
            });

            // The reader is told to leave and goes; the stalled are cut off by the write deadline.
            StreamMessage notice = reader.nextMessage(WITHIN);
            assertTrue(notice.isControl("shutdown"), () -> "expected the shutdown notice, got " + notice);
            HttpResponse<String> report = drained.get(GRACE.toSeconds() + 15, TimeUnit.SECONDS);
            probes.shutdown();
            assertTrue(probes.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(200, report.statusCode(), report.body());
            JsonObject r = HubServer.json(report.body()).asJsonObject();
            assertTrue(r.getInt("connections") >= STALLED + 1, report.body());
            assertTrue(r.getJsonNumber("elapsed_ms").longValue() <= GRACE.toMillis() + 1000, report.body());
            assertNull(failure.get());
            assertTrue(slowest.get() < PROMPT.toNanos(), "a probe took " + slowest.get() / 1_000_000 + " ms during the drain");
            assertTrue(mostThreads.get() <= threadsBefore + 10, "platform threads rose from " + threadsBefore + " to "
                    + mostThreads.get() + " while " + STALLED + " stalled connections drained");

            // The stalled clients are still connected, reading nothing: the server lets go of them itself.
            long stopStart = System.nanoTime();
            assertEquals(0, server.serverStop());
            assertTrue(server.awaitExit(GRACE), "the drained server did not exit within the " + GRACE.toSeconds()
                    + " s grace of server stop:\n" + server.output());
            long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
            assertTrue(stopMillis < GRACE.toMillis(), "server stop took " + stopMillis + " ms");
        } finally {
            probes.shutdownNow();
            for (EventStreamClient s : stalled) {
                s.abort();
            }
        }
    }
}
