package dev.rivulet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FrameCacheTest {

    private final FrameCache<String> cache = new FrameCache<>();
    private final AtomicInteger encodings = new AtomicInteger();
    private final Function<Event, String> encode = e -> {
        encodings.incrementAndGet();
        return "frame " + e.id() + " " + e.data();
    };

    private static Event event(long id, String data) {
        return new Event(Cursor.of(id), "t", "message", data, Instant.EPOCH, false);
    }

    @Test
    void everySubscriberOfAnEventSharesOneEncoding() {
        Event e = event(7, "{\"n\":1}");
        for (int subscriber = 0; subscriber < 1000; subscriber++) {
            assertEquals("frame 7 {\"n\":1}", cache.frame(e, encode));
        }
        assertEquals(1, encodings.get());
    }

    @Test
    void anEventInTheSameSlotReplacesTheOneBefore() {
        Event a = event(1, "{\"n\":\"a\"}");
        Event b = event(1 + FrameCache.SLOTS, "{\"n\":\"b\"}");
        cache.frame(a, encode);
        assertEquals("frame " + b.id() + " {\"n\":\"b\"}", cache.frame(b, encode));
        assertEquals("frame 1 {\"n\":\"a\"}", cache.frame(a, encode));
        assertEquals(3, encodings.get(), "encoded anew once its slot was taken");
    }

    @Test
    void anotherEventWithTheSamePositionNeverGetsTheFrameOfTheFirst() {
        // Log entries are framed as events with the log store's ids, which can equal a hub position.
        cache.frame(event(5, "{\"from\":\"hub\"}"), encode);
        assertEquals("frame 5 {\"from\":\"log\"}", cache.frame(event(5, "{\"from\":\"log\"}"), encode));
    }

    @Test
    void anEventWithoutAFrameStaysWithout() {
        Event e = event(3, "{}");
        assertNull(cache.frame(e, x -> null));
        assertNull(cache.frame(e, encode));
        assertEquals(0, encodings.get());
    }

    @Test
    void largeEventsAreEncodedEachTime() {
        Event big = event(9, "\"" + "x".repeat(FrameCache.MAX_CACHED_DATA) + "\"");
        cache.frame(big, encode);
        cache.frame(big, encode);
        assertEquals(2, encodings.get());
    }
}
