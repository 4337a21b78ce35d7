package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ?max_rate=N paces a subscription to N events a second; other subscribers are not slowed. */
class PacingIT {

    private static final int EVENTS = 11;
    private static final int RATE = 2;
    private static final long SPACING_MILLIS = 1000 / RATE;
    /** Scheduling noise on a busy machine: an event may seem to arrive this much early. */
    private static final long TOLERANCE_MILLIS = 200;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void aPacedStreamSpacesABurstOfEventsWhileAnUnpacedOneGetsThemAsPublished() throws Exception {
        String topic = TopicNames.unique("paced");
        try (EventStreamClient paced = EventStreamClient.open("/api/topics/" + topic + "?max_rate=" + RATE, Format.SSE);
             EventStreamClient unpaced = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON);
             ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            // Both streams are read as events arrive, from before the first publish, each on a thread
            // of its own (the common pool may have a single thread: one read would wait for the other).
            CompletableFuture<List<Arrival>> pacedArrivals = CompletableFuture.supplyAsync(() -> read(paced), readers);
            CompletableFuture<List<Arrival>> unpacedArrivals = CompletableFuture.supplyAsync(() -> read(unpaced), readers);
            List<String> published = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                published.add(HubServer.publish(topic, "{\"n\":" + i + "}").id());
            }

            List<Arrival> slow = pacedArrivals.get(60, TimeUnit.SECONDS);
            List<Arrival> fast = unpacedArrivals.get(60, TimeUnit.SECONDS);
            assertEquals(published, slow.stream().map(Arrival::id).toList(), "every event, once, in order");
            assertEquals(published, fast.stream().map(Arrival::id).toList());
            for (int i = 1; i < EVENTS; i++) {
                long sinceFirst = (slow.get(i).nanos() - slow.get(0).nanos()) / 1_000_000;
                long earliest = i * SPACING_MILLIS - TOLERANCE_MILLIS;
                assertTrue(sinceFirst >= earliest, "event " + i + " arrived " + sinceFirst
                        + " ms after the first; at " + RATE + " a second it may not come before " + earliest + " ms");
            }
            long lead = (slow.get(EVENTS - 1).nanos() - fast.get(EVENTS - 1).nanos()) / 1_000_000;
            assertTrue(lead > (EVENTS - 1) * SPACING_MILLIS / 2, "the unpaced subscriber had every event only "
                    + lead + " ms before the paced one: it must not be held back by its neighbour's pace");
        }
    }

    private record Arrival(String id, long nanos) {
    }

    private static List<Arrival> read(EventStreamClient stream) {
        List<Arrival> arrivals = new ArrayList<>();
        while (arrivals.size() < EVENTS) {
            StreamMessage m = stream.nextMessage(WITHIN);
            assertTrue(m != null && m.isEvent(), () -> "expected an event, got " + m);
            arrivals.add(new Arrival(m.id(), System.nanoTime()));
        }
        return arrivals;
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_rate=0", "max_rate=-2", "max_rate=fast", "max_rate=5&burst=0", "burst=3"})
    void aPaceOutOfRangeIsA400Problem(String query) {
        String topic = TopicNames.unique("paced-invalid");
        try (EventStreamClient c = EventStreamClient.connect("/api/topics/" + topic + "?" + query, Format.SSE, null, 0)) {
            assertEquals(400, c.status());
            assertTrue(c.header("Content-Type").startsWith("application/problem+json"), c.header("Content-Type"));
            JsonObject problem = HubServer.json(c.bodyText()).asJsonObject();
            assertEquals("urn:rivulet:problem:invalid-rate", problem.getString("type"));
        }
        assertEquals(0, HubServer.subscribers(topic));
    }
}
