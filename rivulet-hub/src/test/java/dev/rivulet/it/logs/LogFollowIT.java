package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code follow=true}: after the stored entries, the stream stays open and carries each entry
 * ingested later exactly once, with no gap or repeat where stored meets live.
 */
class LogFollowIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static String lines(String service, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(LogsApi.line(service, i % 7 == 0 ? "error" : "info", "n" + i, ",\"n\":" + i));
        }
        return b.toString();
    }

    /** Reads entries until one with n = {@code last}; checks they are n = first..last, once each, ids rising. */
    private static void expectRun(LogStreamClient tail, int first, int last) {
        long lastId = 0;
        for (int n = first; n <= last; n++) {
            JsonObject e = tail.nextEntry();
            assertNotNull(e, "the tail ended before n=" + n);
            assertEquals(n, e.getInt("n"), "entries arrive once each and in order");
            assertTrue(LogsApi.id(e) > lastId, "ids increase");
            lastId = LogsApi.id(e);
        }
    }

    @Test
    void aTailGetsTheStoredEntriesThenEachNewOneExactlyOnce() throws Exception {
        String service = TopicNames.unique("tail");
        LogsApi.ingest(lines(service, 0, 5));
        try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&service=" + service, 0)) {
            assertEquals(200, tail.status());
            assertEquals("ndjson", tail.header("X-Stream-Format"));
            expectRun(tail, 0, 4);

            // 1,000 more from four concurrent writers, in batches; then one marker.
            ExecutorService writers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    done.add(writers.submit(() -> {
                        for (int b = 0; b < 5; b++) {
                            int from = 5 + writer * 250 + b * 50;
                            LogsApi.ingest(lines(service, from, from + 50));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                writers.shutdownNow();
            }
            List<Integer> seen = new ArrayList<>();
            long lastId = 0;
            for (int i = 0; i < 1000; i++) {
                JsonObject e = tail.nextEntry();
                assertNotNull(e, "the tail ended after " + i + " new entries");
                assertTrue(LogsApi.id(e) > lastId, "ids increase");
                lastId = LogsApi.id(e);
                seen.add(e.getInt("n"));
            }
            assertEquals(java.util.stream.IntStream.range(5, 1005).boxed().toList(), seen.stream().sorted().toList(),
                    "every new entry exactly once");
            LogsApi.ingest(LogsApi.line(service, "info", "marker", ",\"n\":-1"));
            assertEquals("marker", tail.nextEntry().getString("message"), "nothing more came before the next entry");
        }
    }

    @Test
    void entriesIngestedWhileTheStoredOnesAreSentAreNeitherLostNorRepeated() throws Exception {
        String service = TopicNames.unique("seam");
        int stored = 20_000;
        int during = 3_000;
        LogsApi.ingest(lines(service, 0, stored));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writing = writer.submit(() -> {
                for (int from = stored; from < stored + during; from += 100) {
                    LogsApi.ingest(lines(service, from, from + 100));
                }
            });
            try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&service=" + service, 0)) {
                assertEquals(200, tail.status());
                expectRun(tail, 0, stored + during - 1);
                writing.get(2, TimeUnit.MINUTES);
                LogsApi.ingest(LogsApi.line(service, "info", "marker", ",\"n\":-1"));
                assertEquals("marker", tail.nextEntry().getString("message"), "no entry came twice");
            }
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void aTailThatFallsBehindCatchesUpWithoutLosingEntries() {
        String service = TopicNames.unique("behind");
        String pad = ",\"pad\":\"" + "p".repeat(1000) + "\"";
        double caughtUp = LogsApi.metric("rivulet_logs_tails_caught_up_total");
        // A receive window of 4 KB that this client does not read: 20 MB of entries fill the
        // socket buffers, the server's writes stall, and the tail's live queue (512 events on the
        // test server) overflows.
        try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&service=" + service, 4096)) {
            assertEquals(200, tail.status());
            for (int from = 0; from < 20_000; from += 1000) {
                StringBuilder batch = new StringBuilder();
                for (int n = from; n < from + 1000; n++) {
                    batch.append(LogsApi.line(service, "info", "n" + n, ",\"n\":" + n + pad));
                }
                LogsApi.ingest(batch.toString());
            }
            expectRun(tail, 0, 19_999);
            LogsApi.ingest(LogsApi.line(service, "info", "marker", ",\"n\":-1"));
            assertEquals("marker", tail.nextEntry().getString("message"));
        }
        assertTrue(LogsApi.metric("rivulet_logs_tails_caught_up_total") > caughtUp,
                "the tail fell behind its queue and caught up from the store");
    }

    @Test
    void aTailAppliesTheQuerysFilters() {
        String service = TopicNames.unique("tail-filter");
        try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&level=error&service=" + service, 0)) {
            assertEquals(200, tail.status());
            LogsApi.ingest(lines(service, 0, 50));
            for (int n = 0; n < 50; n += 7) {
                JsonObject e = tail.nextEntry();
                assertEquals(n, e.getInt("n"));
                assertEquals("error", e.getString("level"));
            }
        }
    }

    @Test
    void aGzipTailDeliversEachEntryAsItIsIngested() {
        String service = TopicNames.unique("tail-gzip");
        try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&service=" + service, 0,
                "Accept-Encoding", "gzip")) {
            assertEquals(200, tail.status());
            assertEquals("gzip", tail.header("Content-Encoding"));
            for (int n = 0; n < 3; n++) {
                LogsApi.ingest(lines(service, n, n + 1));
                assertEquals(n, tail.nextEntry().getInt("n"), "entry " + n + " arrives before the next is sent");
            }
        }
    }

    @Test
    void browsersGetTheSameTailAsServerSentEventsAndResumeWithLastEventId() {
        String service = TopicNames.unique("tail-sse");
        LogsApi.ingest(lines(service, 0, 2));
        String lastId;
        try (LogStreamClient sse = LogStreamClient.open("/api/logs?follow=true&service=" + service, 0,
                "Accept", "text/event-stream")) {
            assertEquals(200, sse.status());
            assertTrue(sse.header("Content-Type").startsWith("text/event-stream"));
            assertEquals("sse", sse.header("X-Stream-Format"));
            LogStreamClient.Frame first = sse.nextFrame();
            assertEquals("log", first.event());
            JsonObject entry = HubServer.json(first.data()).asJsonObject();
            assertEquals(0, entry.getInt("n"));
            assertEquals(entry.getString("id"), first.id(), "the SSE id is the entry's id");
            assertEquals(1, HubServer.json(sse.nextFrame().data()).asJsonObject().getInt("n"));
            LogsApi.ingest(lines(service, 2, 3));
            LogStreamClient.Frame live = sse.nextFrame();
            assertEquals(2, HubServer.json(live.data()).asJsonObject().getInt("n"));
            lastId = first.id();
        }
        // What EventSource does after a drop: the same URL with Last-Event-ID.
        try (LogStreamClient again = LogStreamClient.open("/api/logs?follow=true&service=" + service, 0,
                "Accept", "text/event-stream", "Last-Event-ID", lastId)) {
            assertEquals(1, HubServer.json(again.nextFrame().data()).asJsonObject().getInt("n"));
            assertEquals(2, HubServer.json(again.nextFrame().data()).asJsonObject().getInt("n"));
            LogsApi.ingest(lines(service, 3, 4));
            assertEquals(3, HubServer.json(again.nextFrame().data()).asJsonObject().getInt("n"));
        }
    }

    @Test
    void aTailEndsAtItsLimit() {
        String service = TopicNames.unique("tail-limit");
        LogsApi.ingest(lines(service, 0, 2));
        try (LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&limit=3&service=" + service, 0)) {
            expectRun(tail, 0, 1);
            LogsApi.ingest(lines(service, 2, 5));
            assertEquals(2, tail.nextEntry().getInt("n"));
            if (tail.nextEntry() != null) {
                fail("the tail went on past its limit");
            }
        }
    }
}
