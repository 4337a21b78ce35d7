package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscription;
import dev.rivulet.hub.TopicSelector;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Presence is announced in batches, at most one a presence interval, and stays exact. */
class ChatRoomsTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private final HubConfig config = HubConfig.of(4096, Overflow.DISCONNECT, 8192, Duration.ofHours(1), 1 << 20);
    private final Hub hub = new Hub(new MemoryBroker(config), config);
    private final ChatRooms rooms;

    ChatRoomsTest() throws ReflectiveOperationException {
        Method connect = Hub.class.getDeclaredMethod("connect");
        connect.setAccessible(true);
        connect.invoke(hub);
        rooms = new ChatRooms(hub, INTERVAL);
    }

    /** The room's announcements a watcher has been handed so far. */
    private static List<JsonObject> announcements(Subscriber watcher) {
        List<JsonObject> out = new ArrayList<>();
        for (Outbound o; (o = watcher.poll()) != null; ) {
            if (o instanceof Event e && e.type().equals(ChatRooms.PRESENCE_DIFF)) {
                out.add(Json.createReader(new StringReader(e.data())).readObject());
            }
        }
        return out;
    }

    private static void apply(Set<String> room, List<JsonObject> diffs) {
        for (JsonObject d : diffs) {
            d.getJsonArray("left").getValuesAs(JsonString::getString).forEach(room::remove);
            room.addAll(d.getJsonArray("joined").getValuesAs(JsonString::getString));
        }
    }

    /**
     * Takes the watcher's announcements until, applied to {@code room}, it has {@code size} members;
     * answers those announcements. Fails after 10 s.
     */
    private static List<JsonObject> awaitRoomOf(Subscriber watcher, Set<String> room, int size) {
        List<JsonObject> taken = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (room.size() != size) {
            assertTrue(System.nanoTime() < deadline, "the room has " + room.size() + " members, not " + size);
            List<JsonObject> more = announcements(watcher);
            apply(room, more);
            taken.addAll(more);
            LockSupport.parkNanos(1_000_000); // polling the watcher's queue
        }
        return taken;
    }

    @Test
    void aJoinInAQuietRoomIsAnnouncedAtOnceAndTheJoinerIsShownItAlready() {
        Subscriber watcher = hub.subscribe(Subscription.to(List.of(TopicSelector.parse("chat/lobby")), () -> { }));
        ChatRooms.Joined alice = rooms.join("lobby", "alice");
        List<JsonObject> diffs = announcements(watcher);
        assertEquals(1, diffs.size(), "announced at once");
        assertEquals(List.of("alice"), diffs.get(0).getJsonArray("joined").getValuesAs(JsonString::getString));
        assertEquals(List.of("alice"), alice.present());
        assertTrue(alice.announcedAt() > Long.MIN_VALUE, "alice skips the announcement of her own join");
    }

    @Test
    void aThousandJoinsAtOnceAreAFewAnnouncementsAndPresenceIsExact() {
        Subscriber watcher = hub.subscribe(Subscription.to(List.of(TopicSelector.parse("chat/crowd")), () -> { }));
        List<ChatRooms.Joined> members = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            members.add(rooms.join("crowd", "m" + i));
        }
        long joiningMillis = (System.nanoTime() - start) / 1_000_000;
        Set<String> seen = new LinkedHashSet<>();
        List<JsonObject> diffs = awaitRoomOf(watcher, seen, 1000);
        long allowed = joiningMillis / INTERVAL.toMillis() + 2;
        assertTrue(diffs.size() <= allowed, diffs.size() + " announcements for 1,000 joins in " + joiningMillis
                + " ms; at most one an interval, " + allowed);
        assertTrue(members.get(999).present().contains("m999"), "a joiner is shown itself");

        long leavingStart = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            rooms.leave(members.get(i));
        }
        long leavingMillis = (System.nanoTime() - leavingStart) / 1_000_000;
        List<JsonObject> leaves = awaitRoomOf(watcher, seen, 500);
        assertTrue(leaves.size() <= leavingMillis / INTERVAL.toMillis() + 2,
                leaves.size() + " announcements for 500 leaves in " + leavingMillis + " ms");
        for (int i = 500; i < 1000; i++) {
            assertTrue(seen.contains("m" + i));
        }
    }

    @Test
    void theLastMemberOutIsAnnouncedAtOnceAndTheRoomForgotten() {
        Subscriber watcher = hub.subscribe(Subscription.to(List.of(TopicSelector.parse("chat/solo")), () -> { }));
        ChatRooms.Joined alice = rooms.join("solo", "alice");
        rooms.leave(alice);
        List<JsonObject> diffs = announcements(watcher);
        assertEquals(2, diffs.size(), "the leave is not held back: nobody is left to batch it with");
        assertEquals(List.of("alice"), diffs.get(1).getJsonArray("left").getValuesAs(JsonString::getString));
        assertEquals(0, rooms.count());
    }

    @Test
    void aCrowdIsAnnouncedInEventsOfAtMostAThousandNames() {
        Subscriber watcher = hub.subscribe(Subscription.to(List.of(TopicSelector.parse("chat/hall")), () -> { }));
        rooms.join("hall", "first");
        announcements(watcher);
        for (int i = 0; i < 2500; i++) {
            rooms.join("hall", "m" + i);
        }
        Set<String> seen = new LinkedHashSet<>(List.of("first"));
        List<JsonObject> diffs = awaitRoomOf(watcher, seen, 2501);
        for (JsonObject d : diffs) {
            assertTrue(d.getJsonArray("joined").size() + d.getJsonArray("left").size() <= ChatRooms.NAMES_PER_EVENT);
        }
    }

    @Test
    void aJoinWhileTheNodeDrainsIsRefused() {
        hub.stopAccepting(Duration.ofSeconds(3), Duration.ofSeconds(1));
        assertThrows(DrainingException.class, () -> rooms.join("lobby", "late"));
        assertEquals(0, rooms.count(), "no room is left behind by a refused join");
    }
}
