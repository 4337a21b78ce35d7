package dev.rivulet.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.Replay;
import dev.rivulet.hub.RetainedTopic;
import dev.rivulet.hub.TopicSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MemoryBrokerTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));

    private MemoryBroker broker(int maxEvents) {
        return new MemoryBroker(HubConfig.of(16, Overflow.DISCONNECT, maxEvents, MAX_AGE, 1 << 20), now::get);
    }

    private static Event publish(MemoryBroker broker, String topic) {
        return broker.publish(topic, "message", "{}", false).event();
    }

    private static List<TopicSelector> selectors(String... texts) {
        List<TopicSelector> out = new ArrayList<>();
        for (String t : texts) {
            out.add(TopicSelector.parse(t));
        }
        return out;
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    // --- ids ---

    @Test
    void idsStrictlyIncreaseAcrossTopicsWhileTheClockStandsStill() {
        MemoryBroker broker = broker(100);
        long previous = broker.latest().position();
        for (int i = 0; i < 50; i++) {
            Event e = publish(broker, i % 2 == 0 ? "a" : "b");
            assertTrue(e.id().position() > previous, "id " + e.id() + " after " + previous);
            assertEquals(e.id(), broker.latest());
            previous = e.id().position();
        }
    }

    @Test
    void idsStrictlyIncreaseWhenTheClockGoesBackwards() {
        MemoryBroker broker = broker(100);
        Event first = publish(broker, "a");
        now.set(now.get().minus(Duration.ofHours(1)));
        Event second = publish(broker, "b");
        now.set(now.get().minus(Duration.ofDays(1)));
        Event third = publish(broker, "a");

        assertTrue(second.id().isAfter(first.id()));
        assertTrue(third.id().isAfter(second.id()));
    }

    @Test
    void idsFollowTheClockSoANewBrokerIssuesLargerIdsThanAnOldOne() {
        Event beforeRestart = publish(broker(100), "a");
        advance(Duration.ofSeconds(1));

        Event afterRestart = publish(broker(100), "a");

        assertTrue(afterRestart.id().isAfter(beforeRestart.id()));
    }

    @Test
    void latestBeforeAnyPublishIsBelowTheFirstId() {
        MemoryBroker broker = broker(100);
        Cursor start = broker.latest();

        assertTrue(publish(broker, "a").id().isAfter(start));
    }

    @Test
    void everyPublishIsHandedToTheFanoutInIdOrder() {
        MemoryBroker broker = broker(100);
        List<Event> delivered = new ArrayList<>();
        broker.deliverTo(e -> {
            delivered.add(e);
            return 7;
        });

        Event a = broker.publish("a", "message", "1", false).event();
        var published = broker.publish("b", "tick", "2", true);

        assertEquals(List.of(a, published.event()), delivered);
        assertEquals(7, published.deliveredTo());
        assertEquals("tick", published.event().type());
        assertTrue(published.event().privateEvent());
    }

    // --- history bounds ---

    @Test
    void historyKeepsOnlyTheNewestMaxEventsPerTopic() {
        MemoryBroker broker = broker(3);
        List<Event> a = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.add(publish(broker, "a"));
        }
        Event b = publish(broker, "b");

        Replay all = broker.replay(selectors("a"), null, Integer.MAX_VALUE);

        assertEquals(a.subList(2, 5), all.events());
        assertEquals(List.of(b), broker.replay(selectors("b"), null, Integer.MAX_VALUE).events(),
                "one topic's traffic does not evict another's history");
        assertTrue(broker.retained().contains(new RetainedTopic("a", a.get(4).id(), 3)));
    }

    @Test
    void historyDropsEventsOlderThanMaxAge() {
        MemoryBroker broker = broker(100);
        Event old = publish(broker, "a");
        advance(Duration.ofMinutes(5));
        Event middle = publish(broker, "a");
        advance(Duration.ofMinutes(5));

        assertEquals(List.of(old, middle), broker.replay(selectors("a"), null, 100).events(),
                "an event exactly max-age old is still retained");

        advance(Duration.ofSeconds(1));

        assertEquals(List.of(middle), broker.replay(selectors("a"), null, 100).events());
    }

    @Test
    void topicWhoseHistoryAgedOutIsNoLongerRetained() {
        MemoryBroker broker = broker(100);
        publish(broker, "a");
        Event b = publish(broker, "b");
        advance(MAX_AGE.plusSeconds(1));
        Event c = publish(broker, "c");

        assertEquals(List.of(new RetainedTopic("c", c.id(), 1)), broker.retained());
        assertTrue(c.id().isAfter(b.id()));
    }

    @Test
    void zeroMaxEventsRetainsNothing() {
        MemoryBroker broker = broker(0);
        publish(broker, "a");

        assertEquals(List.of(), broker.replay(selectors("a"), null, 100).events());
        assertEquals(List.of(), broker.retained());
    }

    // --- replay ---

    @Test
    void replayReturnsEventsAfterTheCursorAcrossTopicsInIdOrder() {
        MemoryBroker broker = broker(100);
        Event a1 = publish(broker, "a");
        Event b1 = publish(broker, "b");
        Event c1 = publish(broker, "c");
        Event a2 = publish(broker, "a");
        Event b2 = publish(broker, "b");
        publish(broker, "other");

        Replay replay = broker.replay(selectors("a", "b", "c"), a1.id(), 100);

        assertEquals(List.of(b1, c1, a2, b2), replay.events());
        assertFalse(replay.expired());
    }

    @Test
    void replayWithATemplateSelectorCoversEveryMatchingTopic() {
        MemoryBroker broker = broker(100);
        Event b1 = publish(broker, "books/1");
        publish(broker, "authors/1");
        Event b2 = publish(broker, "books/2");
        publish(broker, "books/2/reviews");

        assertEquals(List.of(b1, b2), broker.replay(selectors("books/{id}"), null, 100).events());
    }

    @Test
    void replayWithoutCursorReturnsAllRetainedEventsAndIsNeverExpired() {
        MemoryBroker broker = broker(2);
        publish(broker, "a");
        Event a2 = publish(broker, "a");
        Event a3 = publish(broker, "a");

        Replay replay = broker.replay(selectors("*"), null, 100);

        assertEquals(List.of(a2, a3), replay.events());
        assertFalse(replay.expired());
    }

    @Test
    void replayHonoursTheLimitKeepingTheOldest() {
        MemoryBroker broker = broker(100);
        Event a1 = publish(broker, "a");
        Event b1 = publish(broker, "b");
        Event a2 = publish(broker, "a");
        Event b2 = publish(broker, "b");
        publish(broker, "a");

        assertEquals(List.of(b1, a2), broker.replay(selectors("a", "b"), a1.id(), 2).events());
        assertEquals(List.of(a1, b1, a2), broker.replay(selectors("*"), null, 3).events());
        assertEquals(List.of(), broker.replay(selectors("*"), null, 0).events());
        assertTrue(b2.id().isAfter(a2.id()));
    }

    @Test
    void replayFromTheNewestIdIsEmpty() {
        MemoryBroker broker = broker(100);
        publish(broker, "a");
        Event last = publish(broker, "a");

        Replay replay = broker.replay(selectors("a"), last.id(), 100);

        assertEquals(List.of(), replay.events());
        assertFalse(replay.expired());
    }

    @Test
    void replayIsExpiredWhenTheCursorIsOlderThanATopicRetains() {
        MemoryBroker broker = broker(2);
        Event a1 = publish(broker, "a");
        Event a2 = publish(broker, "a");
        Event a3 = publish(broker, "a");
        Event a4 = publish(broker, "a");

        Replay fromA1 = broker.replay(selectors("a"), a1.id(), 100);
        assertTrue(fromA1.expired(), "a2 was dropped: the client never saw it");
        assertEquals(List.of(a3, a4), fromA1.events());

        Replay fromA2 = broker.replay(selectors("a"), a2.id(), 100);
        assertFalse(fromA2.expired(), "everything after a2 is still retained");
        assertEquals(List.of(a3, a4), fromA2.events());
    }

    @Test
    void replayIsExpiredWhenOnlyOneOfSeveralTopicsLostHistory() {
        MemoryBroker broker = broker(2);
        Event start = publish(broker, "quiet");
        publish(broker, "busy");
        publish(broker, "busy");
        publish(broker, "busy");

        assertTrue(broker.replay(selectors("quiet", "busy"), start.id(), 100).expired());
        assertFalse(broker.replay(selectors("quiet"), start.id(), 100).expired());
    }

    @Test
    void replayIsExpiredWhenTheCursorPredatesAgedOutHistory() {
        MemoryBroker broker = broker(100);
        Event old = publish(broker, "a");
        publish(broker, "a");
        advance(MAX_AGE.plusSeconds(1));
        Event fresh = publish(broker, "a");

        Replay replay = broker.replay(selectors("a"), old.id(), 100);

        assertTrue(replay.expired());
        assertEquals(List.of(fresh), replay.events());
    }

    @Test
    void replayIsExpiredForACursorFromBeforeTheBrokerStarted() {
        MemoryBroker broker = broker(100);
        Event a = publish(broker, "a");

        Replay replay = broker.replay(selectors("a"), Cursor.of(1), 100);

        assertTrue(replay.expired());
        assertEquals(List.of(a), replay.events());
    }

    @Test
    void replayOfAForgottenTopicIsExpiredForCursorsBeforeItsLastEvent() {
        MemoryBroker broker = broker(100);
        Event a1 = publish(broker, "a");
        Event a2 = publish(broker, "a");
        advance(MAX_AGE.plusSeconds(1));

        assertTrue(broker.replay(selectors("a"), a1.id(), 100).expired(), "a2 is gone");
        assertFalse(broker.replay(selectors("a"), a2.id(), 100).expired(), "nothing after a2 was lost");
    }
}
