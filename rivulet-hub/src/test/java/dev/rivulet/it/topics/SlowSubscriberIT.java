package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading is disconnected when its queue overflows, without slowing the
 * hub or the subscribers that keep up; a disconnected subscriber catches up from history.
 */
class SlowSubscriberIT {

    private static final int EVENTS = 50_000;
    private static final int PUBLISHERS = 4;
    private static final String PAD = "x".repeat(1000);
    /** The longest GET /api/topics may take while the hub is busy and still count as prompt. */
    private static final Duration PROMPT = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static String payload(int i) {
        return "{\"n\":" + i + ",\"pad\":\"" + PAD + "\"}";
    }

    @Test
    void aSubscriberThatStopsReadingIsDisconnectedWhileOthersGetEveryEvent() throws Exception {
        String topic = TopicNames.unique("slow");
        String path = "/api/topics/" + topic;

        // Never read until the end: its small receive window fills almost at once.
        EventStreamClient stalled = EventStreamClient.connect(path, Format.SSE, null, 4096);
        ResumingSubscriber reader = null;
        ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor();
        try {
            HubServer.awaitSubscribers(topic, 1, WITHIN);
            reader = ResumingSubscriber.start(path, WITHIN);
            HubServer.awaitSubscribers(topic, 2, WITHIN);

            AtomicLong slowestProbeNanos = new AtomicLong();
            AtomicInteger probes = new AtomicInteger();
            AtomicReference<String> probeFailure = new AtomicReference<>();
            probe.scheduleWithFixedDelay(() -> {
                long start = System.nanoTime();
                try {
                    HttpResponse<String> r = HubServer.get("/api/topics");
                    if (r.statusCode() != 200) {
                        probeFailure.compareAndSet(null, "GET /api/topics answered " + r.statusCode());
                    }
                } catch (RuntimeException e) {
                    probeFailure.compareAndSet(null, "GET /api/topics failed: " + e);
                }
                slowestProbeNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                probes.incrementAndGet();
            }, 0, 200, TimeUnit.MILLISECONDS);

            List<Published> published = HubServer.publishMany(topic, EVENTS, PUBLISHERS, SlowSubscriberIT::payload);

            probe.shutdown();
            assertTrue(probe.awaitTermination(HubServer.REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS));
            assertNull(probeFailure.get(), "the hub must keep answering while it publishes");
            assertTrue(probes.get() >= 3, "the topic list was probed only " + probes.get() + " times");
            Duration slowest = Duration.ofNanos(slowestProbeNanos.get());
            assertTrue(slowest.compareTo(PROMPT) < 0, "GET /api/topics took " + slowest.toMillis() + " ms");

            // The reader gets every event exactly once, in id order, across any reconnects.
            long lastId = published.get(EVENTS - 1).position();
            reader.stopAfter(lastId);
            if (!reader.awaitFinished(Duration.ofSeconds(90))) {
                fail("the reading subscriber did not receive event " + lastId + "; it has " + reader.ids().size()
                        + " events after " + reader.connections() + " connections");
            }
            Throwable readFailure = reader.failure();
            assertNull(readFailure, () -> "the reading subscriber failed: " + readFailure);
            assertEquals(List.of(), reader.unexpected(), "no gap or lagged notice over " + reader.connections()
                    + " connection(s): after a disconnect for falling behind, history must cover the resume");
            assertEveryEventOnceInOrder(published, reader.ids(), reader.connections());

            // The stalled subscription was released by the server; only the reader is left.
            HubServer.awaitSubscribers(topic, 1, WITHIN);

            String metrics = HubServer.metrics();
            double capacity = HubServer.metric(metrics, "rivulet_subscriber_queue_capacity");
            double peak = HubServer.metric(metrics, "rivulet_subscriber_queue_depth_peak");
            assertEquals(512, capacity, "the default queue size");
            assertTrue(peak > 0 && peak <= capacity, "queue depth peak " + peak + " vs capacity " + capacity);

            // The stalled client finally reads: what the server had sent, then the end of the stream.
            List<Long> stalledIds = readToEnd(stalled);
            assertTrue(stalled.ended(), "the server must have ended the stalled stream");
            assertTrue(stalledIds.size() < EVENTS / 2,
                    "the stalled subscriber received " + stalledIds.size() + " of " + EVENTS + " events");
            List<Long> prefix = published.subList(0, stalledIds.size()).stream().map(Published::position).toList();
            assertEquals(prefix, stalledIds, "what the stalled subscriber got is the start of the topic, in order");

            reader.close();
            HubServer.awaitSubscribers(topic, 0, WITHIN);
        } finally {
            probe.shutdownNow();
            stalled.abort();
            if (reader != null) {
                reader.close();
            }
        }
    }

    @Test
    void aSubscriberDisconnectedForFallingBehindCatchesUpFromHistoryWhenItReconnectsAtOnce() {
        String topic = TopicNames.unique("slow-resume");
        String path = "/api/topics/" + topic;
        EventStreamClient stalled = EventStreamClient.connect(path, Format.SSE, null, 4096);
        try {
            HubServer.awaitSubscribers(topic, 1, WITHIN);

            // Publish until the stalled subscriber no longer takes events: its queue overflowed
            // and the server dropped it. Not one event more.
            List<Published> published = new ArrayList<>();
            Published p;
            do {
                p = HubServer.publish(topic, payload(published.size()));
                published.add(p);
                if (published.size() > EVENTS) {
                    fail("the stalled subscriber still takes events after " + EVENTS);
                }
            } while (p.deliveredTo() == 1);
            assertEquals(0, p.deliveredTo());

            List<Long> received = readToEnd(stalled);
            assertTrue(stalled.ended(), "the server must have ended the stalled stream");
            assertTrue(received.size() < published.size(), "received " + received.size() + " of " + published.size());
            String lastId = received.isEmpty() ? stalled.opening() : Long.toString(received.get(received.size() - 1));

            // Reconnecting at once, as a client told to catch up from history does.
            try (EventStreamClient resumed = EventStreamClient.open(path, Format.SSE, lastId)) {
                String last = published.get(published.size() - 1).id();
                List<StreamMessage> caughtUp = resumed.readThrough(last, WITHIN);
                List<String> expected = published.subList(received.size(), published.size()).stream()
                        .map(Published::id).toList();
                assertEquals(StreamMessage.Kind.EVENT, caughtUp.get(0).kind(),
                        "no gap expected: the subscriber missed " + expected.size() + " events, "
                                + "the stream began with " + caughtUp.get(0));
                assertEquals(expected, caughtUp.stream().map(StreamMessage::id).toList(),
                        "every event the subscriber missed, once, in order");
            }
        } finally {
            stalled.abort();
        }
    }

    /**
     * Reads the stalled stream to its end, with a deadline; answers the event ids it carried in
     * whole. A stream whose writes stalled past the server's write deadline was cut off, perhaps
     * inside an event: that end counts too, and a cut event is not counted as received.
     */
    private static List<Long> readToEnd(EventStreamClient stalled) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        stalled.readHead();
        assertEquals(200, stalled.status());
        stalled.opening();
        List<Long> ids = new ArrayList<>();
        StreamMessage m;
        while ((m = stalled.nextUntilCutOff()) != null) {
            if (m.isEvent()) {
                ids.add(Long.parseLong(m.id()));
            } else if (!m.isKeepAlive()) {
                fail("unexpected message on the stalled stream: " + m);
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the stalled stream has not ended after " + ids.size() + " events");
            }
        }
        return ids;
    }

    private static void assertEveryEventOnceInOrder(List<Published> published, List<Long> received, int connections) {
        Set<Long> seen = new HashSet<>();
        int next = 0;
        for (int i = 0; i < received.size(); i++) {
            long id = received.get(i);
            if (!seen.add(id)) {
                continue; // a repeat after a reconnect; counted once
            }
            if (next >= published.size() || id != published.get(next).position()) {
                fail("event #" + i + " received has id " + id + " but the next in id order is "
                        + (next < published.size() ? published.get(next).id() : "none")
                        + " (" + next + " of " + published.size() + " received in order, "
                        + connections + " connections)");
            }
            next++;
        }
        assertEquals(published.size(), next, "distinct events received, over " + connections + " connections");
    }
}
