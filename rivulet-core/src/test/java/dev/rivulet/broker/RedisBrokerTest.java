package dev.rivulet.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.BrokerUnavailableException;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.EventMeta;
import dev.rivulet.hub.Fanout;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.Published;
import dev.rivulet.hub.Replay;
import dev.rivulet.hub.RetainedTopic;
import dev.rivulet.hub.Roster;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.testing.EmbeddedRedisServer;
import dev.rivulet.testing.Poll;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster broker against a real Redis: the publish script's ids, trims and gaps, and two
 * brokers on one Redis acting as two nodes.
 */
class RedisBrokerTest {

    private static final AtomicInteger HUBS = new AtomicInteger();
    private static int port;
    private static Path folder;
    private static Process redis;

    private final List<RedisBroker> brokers = new ArrayList<>();
    /** Each test its own hub in Redis, as two hubs sharing one Redis would be. */
    private final String prefix = "test" + HUBS.incrementAndGet() + ":";

    @BeforeAll
    static void startRedis() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        folder = Files.createTempDirectory("rivulet-redis");
        redis = EmbeddedRedisServer.start(port, folder);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        EmbeddedRedisServer.stop(port);
        redis.waitFor();
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(RedisBroker::close);
    }

    private RedisBroker node(int maxEvents, Duration maxAge, Fanout fanout) {
        RedisBroker broker = new RedisBroker(BrokerConfig.redis("redis://127.0.0.1:" + port, prefix, Duration.ofSeconds(2)),
                HubConfig.of(16, Overflow.DISCONNECT, maxEvents, maxAge, 1 << 20));
        broker.deliverTo(fanout);
        brokers.add(broker);
        return broker;
    }

    private RedisBroker node(List<Event> received) {
        return node(1000, Duration.ofHours(1), e -> {
            received.add(e);
            return 1;
        });
    }

    private static Event publish(RedisBroker broker, String topic) {
        return broker.publish(topic, "message", "{\"n\":1}", false).event();
    }

    private static List<TopicSelector> selectors(String... texts) {
        List<TopicSelector> out = new ArrayList<>();
        for (String t : texts) {
            out.add(TopicSelector.parse(t));
        }
        return out;
    }

    @Test
    void idsIncreaseAcrossTopicsAndNodesAndEveryNodeReceivesEveryEventInIdOrder() {
        List<Event> onA = new CopyOnWriteArrayList<>();
        List<Event> onB = new CopyOnWriteArrayList<>();
        RedisBroker a = node(onA);
        RedisBroker b = node(onB);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RedisBroker via = i % 2 == 0 ? a : b;
            Published p = via.publish("t" + (i % 3), "message", "{\"i\":" + i + "}", false);
            assertEquals(2, p.nodes(), "both nodes are subscribed");
            ids.add(p.event().id().position());
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i) > ids.get(i - 1), "ids strictly increase: " + ids.get(i - 1) + ", " + ids.get(i));
        }
        awaitTrue(() -> onA.size() == 200 && onB.size() == 200, "both nodes receive all 200 events");
        assertEquals(ids, onA.stream().map(e -> e.id().position()).toList());
        assertEquals(ids, onB.stream().map(e -> e.id().position()).toList());
        assertEquals("{\"i\":199}", onA.get(199).data());
        assertTrue(a.latest().position() >= ids.get(199));
    }

    @Test
    void aBatchIsPublishedInItsOrderAndReachesEveryNodeInIdOrder() {
        List<Event> onB = new CopyOnWriteArrayList<>();
        RedisBroker a = node(new CopyOnWriteArrayList<>());
        node(onB);
        List<Draft> drafts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            drafts.add(new Draft("log/" + (i % 4), "log", "{\"i\":" + i + "}", true));
        }
        List<Event> published = a.publishAll(drafts);
        assertEquals(500, published.size());
        for (int i = 0; i < 500; i++) {
            assertEquals("{\"i\":" + i + "}", published.get(i).data(), "in the drafts' order");
            assertTrue(i == 0 || published.get(i).id().isAfter(published.get(i - 1).id()));
        }
        awaitTrue(() -> onB.size() == 500, "B receives the whole batch");
        assertEquals(published.stream().map(Event::id).toList(), onB.stream().map(Event::id).toList());
        assertTrue(onB.get(0).privateEvent());
    }

    @Test
    void mercureFieldsTravelThroughTheChannelAndHistoryAndAlternateTopicsAreReplayed() {
        List<Event> onB = new CopyOnWriteArrayList<>();
        RedisBroker a = node(new CopyOnWriteArrayList<>());
        RedisBroker b = node(onB);
        Event before = publish(a, "x");
        EventMeta meta = new EventMeta("https://example.com/rev/1", List.of("alt/1", "users/7"), 2500, true);
        Event published = a.publish(new Draft("canonical", "book", "\"line 1\\nline 2\"", true, meta)).event();
        publish(a, "unrelated");
        assertEquals(meta, published.meta());
        awaitTrue(() -> onB.size() == 3, "B receives the events");
        assertEquals(meta, onB.get(1).meta(), "through the channel");
        assertEquals(EventMeta.NONE, onB.get(0).meta(), "a native event has none");

        Replay byAlternate = b.replay(selectors("alt/1"), before.id(), 100);
        assertEquals(List.of(published.id()), byAlternate.events().stream().map(Event::id).toList());
        assertEquals(meta, byAlternate.events().get(0).meta(), "through history");
        assertEquals(1, b.replay(selectors("users/{id}"), null, 100).events().size(), "a template matches an alternate");
        assertEquals(List.of(), b.replay(selectors("alt/2"), null, 100).events());
    }

    @Test
    void aPublishCountsTheSubscribersOfItsOwnNode() {
        RedisBroker a = node(1000, Duration.ofHours(1), e -> 3);
        node(1000, Duration.ofHours(1), e -> 5);
        assertEquals(3, a.publish("t", "message", "{}", false).deliveredTo());
    }

    @Test
    void aResumeOnTheOtherNodeReplaysExactlyWhatCameAfterTheCursorAcrossTopics() {
        RedisBroker a = node(new CopyOnWriteArrayList<>());
        RedisBroker b = node(new CopyOnWriteArrayList<>());
        Event first = publish(a, "x");
        Event second = publish(a, "y");
        Event third = publish(b, "z");
        publish(b, "other");
        Replay replay = b.replay(selectors("x", "y", "z"), first.id(), 100);
        assertFalse(replay.expired());
        assertEquals(List.of(second.id(), third.id()), replay.events().stream().map(Event::id).toList());
        assertEquals("message", replay.events().get(0).type());
        assertEquals("{\"n\":1}", replay.events().get(0).data());
        Replay templated = a.replay(selectors("{name}"), second.id(), 100);
        assertEquals(2, templated.events().size(), "z and other");
    }

    @Test
    void aTrimByCountRecordsWhatItDroppedSoAResumeBelowItIsAGap() {
        RedisBroker a = node(3, Duration.ofHours(1), e -> 0);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(publish(a, "t"));
        }
        Replay all = a.replay(selectors("t"), null, 100);
        assertEquals(events.subList(2, 5).stream().map(Event::id).toList(), all.events().stream().map(Event::id).toList());
        assertTrue(a.replay(selectors("t"), events.get(0).id(), 100).expired(), "event 2 was trimmed after the cursor");
        Replay atFloor = a.replay(selectors("t"), events.get(1).id(), 100);
        assertFalse(atFloor.expired(), "everything after the newest trimmed event is retained");
        assertEquals(3, atFloor.events().size());
        RetainedTopic t = a.retained().get(0);
        assertEquals(new RetainedTopic("t", events.get(4).id(), 3), t);
    }

    @Test
    void aTrimByAgeForgetsTheTopicAndMovesTheHorizon() {
        RedisBroker a = node(1000, Duration.ofSeconds(3), e -> 0);
        Event old = publish(a, "t");
        assertEquals(1, a.retained().size(), "retained while younger than history's age");
        awaitTrue(() -> a.retained().isEmpty(), "the only event ages out of history");
        Replay replay = a.replay(selectors("t"), Cursor.of(old.id().position() - 1), 100);
        assertTrue(replay.events().isEmpty());
        assertTrue(replay.expired(), "the event after the cursor expired");
        Event fresh = publish(a, "t");
        Replay after = a.replay(selectors("t"), old.id(), 100);
        assertFalse(after.expired(), "nothing after the expired event was lost");
        assertEquals(List.of(fresh.id()), after.events().stream().map(Event::id).toList());
    }

    @Test
    void aRedisThatLostItsDataStartsHistoryAgainAndOlderCursorsAreGaps() {
        RedisBroker a = node(new CopyOnWriteArrayList<>());
        Event before = publish(a, "t");
        try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
             StatefulRedisConnection<String, String> c = client.connect()) {
            List<String> keys = c.sync().keys(prefix + "*");
            c.sync().del(keys.toArray(String[]::new));
        }
        Event after = publish(a, "t");
        assertTrue(after.id().isAfter(before.id()), "ids still increase: they come from the clock");
        Replay replay = a.replay(selectors("t"), before.id(), 100);
        assertTrue(replay.expired(), "what lay between the two is gone");
        assertEquals(List.of(after.id()), replay.events().stream().map(Event::id).toList());
    }

    @Test
    void withoutRedisAPublishIsRefusedAndTheBrokerIsUnreachableUntilItIsBack() throws Exception {
        List<Event> received = new CopyOnWriteArrayList<>();
        RedisBroker a = node(received);
        assertTrue(a.reachable());
        EmbeddedRedisServer.stop(port);
        redis.waitFor();
        try {
            assertThrows(BrokerUnavailableException.class, () -> publish(a, "t"));
            assertFalse(a.reachable());
        } finally {
            redis = EmbeddedRedisServer.start(port, folder);
        }
        awaitTrue(a::reachable, "reachable again once Redis is back");
        Event e = publish(a, "t");
        awaitTrue(() -> received.contains(e), "delivered after the reconnect");
    }

    @Test
    void aNodeWhosePubSubConnectionBrokeCatchesUpInIdOrderWithoutDuplicates() {
        List<Event> onA = new CopyOnWriteArrayList<>();
        RedisBroker a = node(onA);
        RedisBroker b = node(new CopyOnWriteArrayList<>());
        List<Cursor> ids = new ArrayList<>();
        ids.add(publish(b, "x").id());
        awaitTrue(() -> onA.size() == 1, "the first event arrives live");
        try (RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
             StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
            for (int i = 0; i < 50; i++) {
                ids.add(publish(b, i % 2 == 0 ? "x" : "y").id());
            }
        }
        awaitTrue(() -> onA.size() >= 51, "A has every event once it is subscribed again");
        assertEquals(ids, onA.stream().map(Event::id).toList(), "each once, in id order");
    }

    @Test
    void aChatNameIsHeldByOneNodeAtATimeAndANodeThatStopsRenewingLosesItsMembersOnce() {
        Roster a = node(new CopyOnWriteArrayList<>()).roster();
        Roster b = node(new CopyOnWriteArrayList<>()).roster();
        Duration ttl = Duration.ofSeconds(30);
        assertTrue(a.claim("room", "Alice", ttl));
        assertFalse(b.claim("room", "alice", ttl), "taken on A, whatever the case");
        assertTrue(a.claim("room", "alice", ttl), "a node may claim its own name again");
        assertTrue(b.claim("room", "bob", ttl));
        assertEquals(List.of("bob"), a.others("room"));
        assertEquals(List.of("alice"), b.others("room"));
        b.release("room", "bob");
        assertEquals(List.of(), a.others("room"));

        assertTrue(a.claim("room", "carol", Duration.ofSeconds(1)));
        assertEquals(Set.of("alice", "carol"), Set.copyOf(b.others("room")));
        awaitTrue(() -> b.others("room").equals(List.of("alice")), "carol's lifetime runs out");
        assertTrue(b.claim("room", "carol", ttl), "and her name is free");
        b.release("room", "carol");
        assertTrue(a.claim("room", "dave", Duration.ofSeconds(1)));
        List<Map<String, List<String>>> gone = new ArrayList<>();
        assertEquals(Map.of(), b.renew(Map.of(), ttl), "dave's lifetime has not run out yet");
        awaitTrue(() -> gone.add(b.renew(Map.of(), ttl)) && !gone.get(gone.size() - 1).isEmpty(),
                "B lets go of dave once his lifetime runs out");
        assertEquals(Map.of("room", List.of("dave")), gone.get(gone.size() - 1), "A's member that A stopped renewing");
        assertEquals(Map.of(), a.renew(Map.of("room", List.of("alice")), ttl), "only once");
        assertEquals(List.of("alice"), b.others("room"), "A's renewed member stays");
    }

    /** Waits, at most 15 s, until {@code condition} holds. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        Poll.until(what, Duration.ofSeconds(15), condition::getAsBoolean, held -> held);
    }
}
