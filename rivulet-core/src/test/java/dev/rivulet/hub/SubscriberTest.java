package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SubscriberTest {

    private final AtomicInteger wakes = new AtomicInteger();
    private final List<Subscriber> closed = new ArrayList<>();

    private Subscriber subscriber(int capacity, Overflow overflow) {
        return new Subscriber(List.of(TopicSelector.parse("*")), capacity, overflow,
                wakes::incrementAndGet, closed::add);
    }

    private static Event event(long id) {
        return new Event(Cursor.of(id), "t", "message", "{\"n\":" + id + "}", Instant.EPOCH, false);
    }

    private static List<Event> events(long... ids) {
        List<Event> out = new ArrayList<>();
        for (long id : ids) {
            out.add(event(id));
        }
        return out;
    }

    /** Everything poll() hands out until it has nothing more. */
    private static List<Outbound> drain(Subscriber s) {
        List<Outbound> out = new ArrayList<>();
        for (Outbound o; (o = s.poll()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static List<Long> ids(List<Outbound> outs) {
        List<Long> ids = new ArrayList<>();
        for (Outbound o : outs) {
            ids.add(assertInstanceOf(Event.class, o).id().position());
        }
        return ids;
    }

    // --- before start ---

    @Test
    void nothingIsHandedOutBeforeTheStreamStarts() {
        Subscriber s = subscriber(4, Overflow.DISCONNECT);
        s.offer(event(1));

        assertNull(s.poll());
        assertFalse(s.hasPending());
    }

    @Test
    void eventsQueuedBeforeStartAreHandedOutAfterIt() {
        Subscriber s = subscriber(4, Overflow.DISCONNECT);
        s.offer(event(5));
        s.offer(event(6));
        s.start(Cursor.of(4), List.of(), null);

        assertTrue(s.hasPending());
        assertEquals(List.of(5L, 6L), ids(drain(s)));
        assertFalse(s.hasPending());
    }

    @Test
    void liveEventsAtOrBeforeTheOpeningCursorAreNotHandedOut() {
        Subscriber s = subscriber(4, Overflow.DISCONNECT);
        s.offer(event(3));
        s.offer(event(4));
        s.offer(event(5));
        s.start(Cursor.of(4), List.of(), null);

        assertEquals(List.of(5L), ids(drain(s)));
        assertEquals(Cursor.of(4), s.opening());
    }

    @Test
    void aBurstBeforeStartThatTheReplayHoldsLosesNothing() {
        Subscriber s = subscriber(2, Overflow.DISCONNECT);
        for (long id = 2; id <= 5; id++) {
            s.offer(event(id));
        }
        s.start(Cursor.of(1), events(2, 3, 4, 5), null);

        assertFalse(s.isClosed());
        assertEquals(List.of(2L, 3L, 4L, 5L), ids(drain(s)));
    }

    @Test
    void aBurstBeforeStartBeyondTheReplayClosesADisconnectSubscriber() {
        Subscriber s = subscriber(2, Overflow.DISCONNECT);
        for (long id = 2; id <= 5; id++) {
            s.offer(event(id));
        }
        s.start(Cursor.of(1), events(2), null);

        assertEquals(Subscriber.CloseReason.SLOW, s.closeReason());
    }

    @Test
    void aBurstBeforeStartBeyondTheReplayIsReportedAsLagged() {
        Subscriber s = subscriber(2, Overflow.DROP_OLDEST);
        for (long id = 2; id <= 5; id++) {
            s.offer(event(id));
        }
        s.start(Cursor.of(1), events(2), null);

        List<Outbound> out = drain(s);
        assertEquals(event(2), out.get(0));
        assertEquals(ControlEvent.lagged(2), out.get(1));
        assertEquals(List.of(4L, 5L), ids(out.subList(2, out.size())));
    }

    // --- ordering: gap notice, backlog, live ---

    @Test
    void gapNoticeComesFirstThenBacklogThenLiveEvents() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.offer(event(20));
        s.offer(event(21));
        ControlEvent gap = ControlEvent.gap(Cursor.of(1), "expired");
        s.start(Cursor.of(1), events(10, 11, 12), gap);

        List<Outbound> out = drain(s);

        assertSame(gap, out.get(0));
        assertEquals(List.of(10L, 11L, 12L, 20L, 21L), ids(out.subList(1, out.size())));
    }

    @Test
    void eventInBothBacklogAndLiveQueueIsHandedOutOnce() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        // Published after the subscriber was registered, and also read into its replay.
        s.offer(event(12));
        s.offer(event(13));
        s.offer(event(14));
        s.start(Cursor.of(9), events(10, 11, 12, 13), null);

        assertEquals(List.of(10L, 11L, 12L, 13L, 14L), ids(drain(s)));
    }

    @Test
    void liveEventsArrivingWhileBacklogIsDrainedFollowIt() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.start(Cursor.of(0), events(1, 2, 3), null);

        assertEquals(1L, ((Event) s.poll()).id().position());
        s.offer(event(3));
        s.offer(event(4));

        assertEquals(List.of(2L, 3L, 4L), ids(drain(s)));
    }

    @Test
    void backlogAtOrBeforeTheOpeningCursorIsSkipped() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.start(Cursor.of(11), events(10, 11, 12), null);

        assertEquals(List.of(12L), ids(drain(s)));
    }

    // --- duplicates ---

    @Test
    void duplicateOrOlderOfferIsIgnored() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);

        assertTrue(s.offer(event(5)));
        assertFalse(s.offer(event(5)), "same id again");
        assertFalse(s.offer(event(4)), "older id");
        assertTrue(s.offer(event(6)));
        assertEquals(2, s.depth());

        s.start(Cursor.of(0), List.of(), null);
        assertEquals(List.of(5L, 6L), ids(drain(s)));
    }

    @Test
    void duplicateOfferDoesNotCountTowardsAFullQueue() {
        Subscriber s = subscriber(1, Overflow.DISCONNECT);
        s.offer(event(1));

        assertFalse(s.offer(event(1)));
        assertFalse(s.isClosed());
    }

    // --- overflow: disconnect ---

    @Test
    void withDisconnectAFullQueueClosesTheSubscriberAsSlow() {
        Subscriber s = subscriber(2, Overflow.DISCONNECT);
        s.start(Cursor.of(0), List.of(), null);

        assertTrue(s.offer(event(1)));
        assertTrue(s.offer(event(2)));
        assertFalse(s.isClosed());
        assertFalse(s.offer(event(3)));

        assertTrue(s.isClosed());
        assertEquals(Subscriber.CloseReason.SLOW, s.closeReason());
        assertEquals(List.of(s), closed, "the hub is told the subscriber has gone");
        assertNull(s.poll(), "a closed subscriber hands nothing out");
        assertEquals(0, s.depth(), "its queue is released");
    }

    @Test
    void withDisconnectAClosedSubscriberTakesNoMoreEvents() {
        Subscriber s = subscriber(1, Overflow.DISCONNECT);
        s.start(Cursor.of(0), List.of(), null);
        s.offer(event(1));
        s.offer(event(2));

        assertFalse(s.offer(event(3)));
        assertEquals(0, s.depth());
        assertEquals(1, closed.size(), "closed once");
    }

    @Test
    void withDisconnectTheQueueNeverExceedsItsCapacity() {
        Subscriber s = subscriber(3, Overflow.DISCONNECT);
        for (long id = 1; id <= 10; id++) {
            s.offer(event(id));
            assertTrue(s.depth() <= 3);
        }
        assertEquals(3, s.peak());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void offerToAFullQueueReturnsAtOnceInsteadOfWaitingForTheReader() {
        Subscriber disconnect = subscriber(1, Overflow.DISCONNECT);
        Subscriber dropOldest = subscriber(1, Overflow.DROP_OLDEST);
        disconnect.start(Cursor.of(0), List.of(), null);
        dropOldest.start(Cursor.of(0), List.of(), null);
        // Nobody polls: a blocking offer would hang this test until the timeout fails it.
        for (long id = 1; id <= 10_000; id++) {
            disconnect.offer(event(id));
            dropOldest.offer(event(id));
        }
        assertTrue(disconnect.isClosed());
        assertEquals(1, dropOldest.depth());
    }

    // --- overflow: drop-oldest ---

    @Test
    void withDropOldestTheOldestAreDroppedAndTheClientIsToldHowManyItMissed() {
        Subscriber s = subscriber(3, Overflow.DROP_OLDEST);
        for (long id = 1; id <= 7; id++) {
            assertTrue(s.offer(event(id)));
        }
        assertFalse(s.isClosed());
        assertEquals(3, s.depth());
        s.start(Cursor.of(0), List.of(), null);

        List<Outbound> out = drain(s);

        assertEquals(new ControlEvent("lagged", "{\"missed\":4}"), out.get(0));
        assertEquals(List.of(5L, 6L, 7L), ids(out.subList(1, out.size())));
    }

    @Test
    void withDropOldestMissedCountsOnlyEventsDroppedSinceTheLastNotice() {
        Subscriber s = subscriber(2, Overflow.DROP_OLDEST);
        s.start(Cursor.of(0), List.of(), null);
        for (long id = 1; id <= 3; id++) {
            s.offer(event(id));
        }
        List<Outbound> first = drain(s);
        assertEquals(ControlEvent.lagged(1), first.get(0));
        assertEquals(List.of(2L, 3L), ids(first.subList(1, first.size())));

        for (long id = 4; id <= 8; id++) {
            s.offer(event(id));
        }
        List<Outbound> second = drain(s);
        assertEquals(ControlEvent.lagged(3), second.get(0));
        assertEquals(List.of(7L, 8L), ids(second.subList(1, second.size())));
    }

    @Test
    void withDropOldestAQueueThatNeverFillsSendsNoLaggedNotice() {
        Subscriber s = subscriber(3, Overflow.DROP_OLDEST);
        s.start(Cursor.of(0), List.of(), null);
        s.offer(event(1));
        s.offer(event(2));
        s.offer(event(3));

        assertEquals(List.of(1L, 2L, 3L), ids(drain(s)));
    }

    @Test
    void withDropOldestTheQueueStaysAtCapacity() {
        Subscriber s = subscriber(3, Overflow.DROP_OLDEST);
        for (long id = 1; id <= 100; id++) {
            s.offer(event(id));
            assertTrue(s.depth() <= 3);
        }
        assertEquals(3, s.peak());
    }

    // --- closing and waking ---

    @Test
    void closingIsIdempotentAndKeepsTheFirstReason() {
        Subscriber s = subscriber(2, Overflow.DISCONNECT);
        s.close(Subscriber.CloseReason.CLIENT_GONE);
        s.close(Subscriber.CloseReason.SHUTDOWN);

        assertEquals(Subscriber.CloseReason.CLIENT_GONE, s.closeReason());
        assertEquals(1, closed.size());
        assertFalse(s.offer(event(1)));
    }

    @Test
    void transportIsWokenWhenThereIsSomethingToWrite() {
        Subscriber s = subscriber(2, Overflow.DISCONNECT);
        s.start(Cursor.of(0), List.of(), null);
        int afterStart = wakes.get();
        assertTrue(afterStart >= 1, "start wakes the transport");

        s.offer(event(1));
        assertTrue(wakes.get() > afterStart, "a queued event wakes the transport");

        int beforeClose = wakes.get();
        s.close(Subscriber.CloseReason.CLIENT_GONE);
        assertTrue(wakes.get() > beforeClose, "closing wakes the transport");
    }

    @Test
    void matchesWhenAnySelectorMatches() {
        Subscriber s = new Subscriber(List.of(TopicSelector.parse("a"), TopicSelector.parse("books/{id}")),
                1, Overflow.DISCONNECT, () -> { }, x -> { });

        assertTrue(s.matches("a"));
        assertTrue(s.matches("books/1"));
        assertFalse(s.matches("b"));
    }

    // --- shutdown: queued events, then the farewell, then the end ---

    private Subscriber subscriber(int capacity, Overflow overflow, Pace pace, Traffic traffic) {
        return new Subscriber(List.of(TopicSelector.parse("*")), List.of(), capacity, overflow, pace,
                wakes::incrementAndGet, closed::add, traffic);
    }

    @Test
    void aShutdownHandsOutWhatIsQueuedThenTheFarewellThenFinishes() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.start(Cursor.of(0), List.of(), null);
        s.offer(event(1));
        s.offer(event(2));
        ControlEvent farewell = ControlEvent.shutdown(1234);

        s.shutdown(farewell);

        assertFalse(s.offer(event(3)), "nothing is taken after the shutdown notice is queued");
        assertTrue(s.hasPending());
        List<Outbound> out = drain(s);
        assertEquals(List.of(event(1), event(2), farewell), out);
        assertTrue(s.finished());
        assertFalse(s.hasPending());
        assertFalse(s.isClosed(), "the transport closes it once the farewell is on the wire");
    }

    @Test
    void aShutdownOfAClosedSubscriberHandsOutNothing() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.start(Cursor.of(0), List.of(), null);
        s.close(Subscriber.CloseReason.CLIENT_GONE);

        s.shutdown(ControlEvent.shutdown(10));

        assertNull(s.poll());
        assertFalse(s.finished());
    }

    @Test
    void theShutdownNoticeCarriesItsReconnectHint() {
        ControlEvent c = ControlEvent.shutdown(2500);
        assertEquals("shutdown", c.type());
        assertEquals("{\"retry_ms\":2500}", c.data());
        assertEquals(2500, c.retryMillis());
    }

    // --- pace ---

    @Test
    void aPacedSubscriberHoldsEventsBeyondItsBurstAndSaysWhenTheNextMayGo() {
        // One event every 100 s: nothing beyond the burst can go within this test.
        Subscriber s = subscriber(8, Overflow.DISCONNECT, new Pace(0.01, 2), Traffic.NONE);
        s.start(Cursor.of(0), List.of(), null);
        for (long id = 1; id <= 4; id++) {
            assertTrue(s.offer(event(id)));
        }

        assertEquals(List.of(1L, 2L), ids(drain(s)), "the burst goes at once");
        assertFalse(s.hasPending(), "nothing may go now, so the transport must not spin");
        long wait = s.nanosUntilReady();
        assertTrue(wait > 90_000_000_000L && wait <= 100_000_000_000L, "next token in about 100 s, was " + wait);
    }

    @Test
    void controlEventsAreNeverHeldBackByThePace() {
        Subscriber s = subscriber(2, Overflow.DROP_OLDEST, new Pace(0.01, 1), Traffic.NONE);
        s.start(Cursor.of(0), List.of(), ControlEvent.gap(null, "unknown"));
        s.offer(event(1));

        assertEquals("gap", assertInstanceOf(ControlEvent.class, s.poll()).type());
        assertEquals(event(1), s.poll());
        s.offer(event(2));
        s.offer(event(3));
        s.offer(event(4));
        assertEquals(ControlEvent.lagged(1), s.poll(), "event 2 fell out of the full queue: told at once");
        assertNull(s.poll(), "the pace holds event 3");
    }

    @Test
    void aDrainingNodeDeliversPacedEventsWithoutThePace() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT, new Pace(0.01, 1), Traffic.NONE);
        s.start(Cursor.of(0), List.of(), null);
        for (long id = 1; id <= 3; id++) {
            s.offer(event(id));
        }
        assertEquals(event(1), s.poll());
        assertNull(s.poll());

        s.shutdown(ControlEvent.shutdown(100));

        assertEquals(0, s.nanosUntilReady());
        List<Outbound> out = drain(s);
        assertEquals(List.of(event(2), event(3), ControlEvent.shutdown(100)), out);
    }

    // --- what the subscriber reports ---

    @Test
    void droppedEventsAreReportedByReason() {
        RecordingTraffic traffic = new RecordingTraffic();
        Subscriber lagging = subscriber(2, Overflow.DROP_OLDEST, null, traffic);
        lagging.start(Cursor.of(0), List.of(), null);
        for (long id = 1; id <= 5; id++) {
            lagging.offer(event(id));
        }
        assertEquals(3, traffic.count("dropped:lagged"));

        Subscriber slow = subscriber(2, Overflow.DISCONNECT, null, traffic);
        slow.start(Cursor.of(0), List.of(), null);
        for (long id = 1; id <= 3; id++) {
            slow.offer(event(id));
        }
        assertEquals(Subscriber.CloseReason.SLOW, slow.closeReason());
        assertEquals(3, traffic.count("dropped:slow"), "two queued and the one that did not fit");

        Subscriber leaving = subscriber(4, Overflow.DISCONNECT, null, traffic);
        leaving.start(Cursor.of(0), List.of(), null);
        leaving.offer(event(1));
        leaving.close(Subscriber.CloseReason.CLIENT_GONE);
        assertEquals(1, traffic.count("dropped:client"));
    }

    @Test
    void eventsFromTheReplayAreNotLiveAndLaterOnesAre() {
        Subscriber s = subscriber(8, Overflow.DISCONNECT);
        s.start(Cursor.of(1), events(2, 3), null);
        s.offer(event(4));

        assertFalse(s.isLive(event(2)));
        assertFalse(s.isLive(event(3)));
        assertTrue(s.isLive(event(4)));
    }
}
