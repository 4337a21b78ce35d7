package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.GateConfig;
import dev.rivulet.gate.Grant;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.RecordingTraffic;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Transport;
import dev.rivulet.hub.Utf8;
import dev.rivulet.stream.Connections;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A chat connection against a real hub and a fake WebSocket session that counts overlapping writes
 * (Liberty allows one at a time) and can make them block like a reader that stopped reading. Each
 * connection writes on its own virtual thread, as in the server; {@link #settle} waits until every
 * writer has written what it had.
 */
class ChatConnectionTest {

    private static final Duration PING = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(3);
    /** A send stuck on a client that takes nothing fails after this. */
    private static final Duration SEND_TIMEOUT = Duration.ofMillis(500);

    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private Hub hub;
    private ChatConnections chat;
    private Connections connections;
    private final RecordingTraffic traffic = new RecordingTraffic();
    private final ConnectionGate gate = new ConnectionGate(GateConfig.of(100, 0, Duration.ofSeconds(5), 0, 1), traffic);

    private void start(int queueSize, int history) {
        HubConfig hubConfig = HubConfig.of(queueSize, Overflow.DISCONNECT, 1000, Duration.ofHours(1), 1 << 20);
        hub = new Hub(new MemoryBroker(hubConfig), hubConfig, traffic);
        postConstruct(hub);
        connections = new Connections();
        chat = new ChatConnections();
        chat.connections = connections;
        chat.hub = hub;
        // Every change is announced at once here; one test below waits for the interval.
        chat.rooms = new ChatRooms(hub, Duration.ofNanos(1));
        chat.config = ChatConfig.of(true, history, 1024, 20, PING, IDLE, SEND_TIMEOUT);
        chat.traffic = traffic;
    }

    /** Calls the hub's @PostConstruct, as the container does (it is not public API). */
    private static void postConstruct(Hub hub) {
        try {
            var connect = Hub.class.getDeclaredMethod("connect");
            connect.setAccessible(true);
            connect.invoke(hub);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until every connection's writer has written all it had (or has ended), but those stalled. */
    private void settle() {
        try {
            awaitCondition(() -> clients.stream().allMatch(c -> c.connection == null || c.isStalled()
                    || c.connection.connection().idle()), "every writer to finish what it has");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The client end of one connection: what was written to it, and how it was closed. Writes are
     * synchronous, as Liberty's basic remote is; {@link #stall} makes them block like a socket whose
     * reader stopped reading, until {@link #unstall}.
     */
    private final class Client {
        final List<String> frames = new CopyOnWriteArrayList<>();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicInteger inWrite = new AtomicInteger();
        final AtomicInteger overlappingWrites = new AtomicInteger();
        volatile CountDownLatch stalled;
        final CountDownLatch blockedInWrite = new CountDownLatch(1);
        volatile CloseReason closed;
        final CountDownLatch closedLatch = new CountDownLatch(1);
        final Session session;
        ChatConnection connection;

        Client(String query) {
            Map<String, List<String>> parameters = new java.util.HashMap<>();
            for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], List.of(kv[1]));
            }
            long[] sendTimeoutMillis = {0};
            RemoteEndpoint.Async remote = proxy(RemoteEndpoint.Async.class, (method, args) -> {
                if (method.equals("setSendTimeout")) {
                    sendTimeoutMillis[0] = (Long) args[0];
                    return null;
                }
                if (!method.equals("sendText") && !method.equals("sendPing")) {
                    throw new UnsupportedOperationException(method);
                }
                if (inWrite.incrementAndGet() > 1) {
                    overlappingWrites.incrementAndGet();
                }
                try {
                    CountDownLatch stall = stalled;
                    SendResult result = new SendResult();
                    if (stall != null) {
                        blockedInWrite.countDown();
                        try {
                            // Like Liberty's send with a deadline: it fails when the client takes nothing for that long.
                            if (!stall.await(sendTimeoutMillis[0], TimeUnit.MILLISECONDS) || closed != null) {
                                result = new SendResult(new java.net.SocketTimeoutException("the client took nothing"));
                            }
                        } catch (InterruptedException closedUnderIt) {
                            Thread.currentThread().interrupt(); // the test is over; let the write end
                        }
                    }
                    if (result.isOK()) {
                        if (method.equals("sendPing")) {
                            pings.incrementAndGet();
                        } else {
                            frames.add((String) args[0]);
                        }
                    }
                    if (method.equals("sendText")) {
                        ((SendHandler) args[1]).onResult(result);
                    }
                } finally {
                    inWrite.decrementAndGet();
                }
                return null;
            });
            session = proxy(Session.class, (method, args) -> switch (method) {
                case "getAsyncRemote" -> remote;
                case "getRequestParameterMap" -> parameters;
                case "getId" -> "test";
                case "close" -> {
                    closed = (CloseReason) args[0];
                    connection.closed(); // as the container's @OnClose does
                    closedLatch.countDown();
                    CountDownLatch stall = stalled;
                    if (stall != null) {
                        stall.countDown();
                    }
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            });
        }

        Client open(String room) {
            connection = connect(room);
            settle();
            return this;
        }

        /** Opens under a permit from the gate, as the handshake does, without waiting for its writer. */
        ChatConnection connect(String room) {
            clients.add(this);
            connection = chat.open(session, room, gate.admit(Transport.WEBSOCKET, "ip:test"), Grant.ANONYMOUS);
            return connection;
        }

        void stall() {
            stalled = new CountDownLatch(1);
        }

        boolean isStalled() {
            CountDownLatch s = stalled;
            return s != null && s.getCount() > 0;
        }

        void unstall() {
            stalled.countDown();
        }

        void say(String text) {
            connection.onTextPart("{\"type\":\"message\",\"text\":" + quote(text) + "}", true, System.nanoTime());
            settle();
        }

        List<JsonObject> json() {
            List<JsonObject> out = new ArrayList<>();
            for (String f : frames) {
                out.add(Json.createReader(new StringReader(f)).readObject());
            }
            return out;
        }

        List<String> types() {
            return json().stream().map(o -> o.getString("type")).toList();
        }

        List<String> texts() {
            return json().stream().filter(o -> o.getString("type").equals("message")).map(o -> o.getString("text")).toList();
        }

        JsonObject last() {
            List<JsonObject> all = json();
            return all.get(all.size() - 1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("waited 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Client client(String query) {
        return new Client(query);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, java.util.function.BiFunction<String, Object[], Object> handler) {
        return (T) Proxy.newProxyInstance(ChatConnectionTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(p);
                            case "equals" -> p == args[0];
                            default -> type.getSimpleName();
                        };
                    }
                    return handler.apply(method.getName(), args);
                });
    }

    private static List<String> names(JsonObject frame, String list) {
        return frame.getJsonArray(list).getValuesAs(JsonString::getString);
    }

    private static String quote(String s) {
        return dev.rivulet.hub.JsonText.quote(s);
    }

    // --- opening ---

    @Test
    void aNewMemberGetsPresenceThenHistoryOfMessagesOnly() {
        start(64, 2);
        Client alice = client("name=alice").open("lobby");
        alice.say("one");
        alice.say("two");
        alice.say("three");

        Client bob = client("name=bob").open("lobby");

        List<JsonObject> frames = bob.json();
        assertEquals(List.of("presence", "history"), bob.types());
        assertEquals("bob", frames.get(0).getString("you"));
        assertEquals(List.of("alice", "bob"), frames.get(0).getJsonArray("users").getValuesAs(JsonString::getString));
        List<String> history = frames.get(1).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList();
        assertEquals(List.of("two", "three"), history, "the last rivulet.chat.history messages, oldest first");
        assertEquals("presence_diff", alice.last().getString("type"));
        assertEquals(List.of("bob"), names(alice.last(), "joined"));
    }

    @Test
    void aMemberDoesNotGetItsOwnJoinNorAnEventTheHistoryShowed() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.say("hello");
        assertEquals(List.of("presence", "history", "message"), alice.types());
    }

    @Test
    void eventsThatArriveWhileTheConnectionOpensComeAfterTheOpeningFramesAndOnlyOnce() {
        start(64, 50);
        Client alice = client("name=alice");
        alice.connect("lobby");
        // Published before the opening frames are written: they are in the history block or after it.
        hub.publish("chat/lobby", "message", "{\"user\":\"x\",\"text\":\"racing\"}", false);
        settle();
        assertEquals(List.of("presence", "history", "message"), alice.types());
        assertEquals(List.of("racing"), alice.texts());
    }

    @Test
    void aTakenNameIsNumberedAndTheClientIsToldItsName() {
        start(64, 50);
        client("name=alice").open("lobby");
        Client second = client("name=alice").open("lobby");
        assertEquals("alice-2", second.json().get(0).getString("you"));
        second.say("hi");
        assertEquals("alice-2", second.last().getString("user"));
    }

    // --- writing ---

    @Test
    void framesKeepTheirOrder() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        for (int i = 0; i < 10; i++) {
            alice.connection.onTextPart("{\"type\":\"message\",\"text\":\"m" + i + "\"}", true, System.nanoTime());
        }
        settle();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), alice.texts());
    }

    @Test
    void theWriterSendsInBatchesAndReportsEachBatchOnce() {
        start(20_000, 50);
        Client alice = client("name=alice").open("lobby");
        alice.stall();
        for (int i = 0; i < 5_000; i++) {
            hub.publish("chat/lobby", "message", "{\"user\":\"x\",\"text\":\"" + i + "\"}", false);
        }
        int before = traffic.latencySamples().size();
        alice.unstall();
        settle();
        assertEquals(5_000, alice.texts().size());
        int batches = traffic.latencySamples().size() - before;
        assertTrue(batches >= 5_000 / 64 && batches < 5_000, "5,000 queued events go out in batches of at most 64, "
                + "each reported once; there were " + batches + " reports");
        assertEquals(5_000, traffic.count("delivered:websocket"));
    }

    @Test
    void aReaderThatStallsIsClosedWith1013AndLeavesWhileTheRoomGoesOn() throws Exception {
        start(4, 50);
        {
            Client slow = client("name=slow");
            slow.stall();
            slow.open("lobby");
            await(slow.blockedInWrite); // its drain task is stuck writing the presence frame
            Client fast = client("name=fast").open("lobby");
            awaitFrames(fast, 2);
            // The slow member's queue of 4 takes fast's join and three messages; the next overflows it.
            // Fast reads each message before it sends the next, so its own queue of 4 never fills.
            for (int i = 0; i < 6; i++) {
                fast.connection.onTextPart("{\"type\":\"message\",\"text\":\"m" + i + "\"}", true, System.nanoTime());
                int sent = i + 1;
                awaitCondition(() -> fast.texts().size() == sent, "fast got its message m" + i);
            }
            await(slow.closedLatch);
            assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, slow.closed.getCloseCode(),
                    "closed as too slow once its stuck send passed its deadline");
            awaitFrames(fast, 2 + 6 + 1);
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5"), fast.texts(), "the room went on");
            assertTrue(fast.json().stream().anyMatch(o -> o.getString("type").equals("presence_diff")
                    && names(o, "left").contains("slow")));
            assertEquals(1, hub.subscriberCount("chat/lobby"), "only the fast member is still subscribed");
            awaitCondition(() -> gate.open(Transport.WEBSOCKET) == 1, "the slow member's permit is back");
            assertEquals(1, traffic.count("closed:websocket:slow"));
        }
    }

    @Test
    void underConcurrentPublishersNoWriteOverlapsAndNothingIsLostOrReordered() throws Exception {
        start(100_000, 50);
        ExecutorService publishers = Executors.newFixedThreadPool(3);
        try {
            Client reader = client("name=reader").open("busy");
            int perPublisher = 3000;
            for (int p = 0; p < 3; p++) {
                String sender = "p" + p;
                publishers.execute(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        hub.publish("chat/busy", "message", "{\"user\":\"" + sender + "\",\"text\":\"" + i + "\"}", false);
                        if (i % 500 == 0) {
                            // A ping falls due now and then, while the client keeps answering.
                            long later = System.nanoTime() + PING.toNanos() * (i + 1);
                            reader.connection.onPong(later);
                            reader.connection.heartbeat(later);
                        }
                    }
                });
            }
            awaitFrames(reader, 2 + 3 * perPublisher);
            assertEquals(0, reader.overlappingWrites.get(), "a write started while another was on the wire");
            assertTrue(reader.pings.get() > 0, "pings went out between the frames");
            Map<String, Integer> next = new java.util.HashMap<>();
            for (JsonObject m : reader.json().subList(2, reader.frames.size())) {
                int expected = next.getOrDefault(m.getString("user"), 0);
                assertEquals(expected, Integer.parseInt(m.getString("text")), "order of " + m.getString("user"));
                next.put(m.getString("user"), expected + 1);
            }
        } finally {
            publishers.shutdownNow();
        }
    }

    /** A member of the lobby whose socket takes nothing: its connection is blocked writing to it. */
    private Client stuckInAWrite() throws Exception {
        Client stuck = client("name=stuck");
        stuck.stall();
        stuck.open("lobby");
        await(stuck.blockedInWrite);
        return stuck;
    }

    /** Waits until {@code condition} holds; fails after 30 s. */
    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what)
            throws InterruptedException {
        awaitCondition(condition, () -> what);
    }

    /** Waits until {@code condition} holds; fails after 30 s, saying {@code what} was awaited and what was seen. */
    private static void awaitCondition(java.util.function.BooleanSupplier condition,
                                       java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "waited 30 s for: " + what.get());
            Thread.sleep(1); // polling a condition with a deadline, not standing in for one
        }
    }

    /** Waits until the client has {@code n} frames; fails after 30 s. */
    private static void awaitFrames(Client c, int n) throws InterruptedException {
        awaitCondition(() -> c.frames.size() >= n, () -> "only " + c.frames.size() + " of " + n + " frames came: "
                + c.frames + (c.closed == null ? "" : "; closed " + c.closed));
    }

    // --- resume ---

    @Test
    void resumingWithSinceDeliversExactlyWhatWasMissedWithoutHistory() {
        start(64, 50);
        Client bob = client("name=bob").open("lobby");
        Client alice = client("name=alice").open("lobby");
        bob.say("seen");
        String lastSeen = alice.last().getString("id");
        alice.connection.closed(); // alice drops
        settle();
        bob.say("missed 1");
        bob.say("missed 2");

        Client back = client("name=alice&since=" + lastSeen).open("lobby");
        bob.say("live");

        assertEquals(List.of("presence", "message", "message", "message"), back.types(),
                "no history block, and no join or leave from before the new join");
        assertEquals("alice", back.json().get(0).getString("you"));
        assertEquals(List.of("missed 1", "missed 2", "live"), back.texts());
    }

    // --- reading ---

    @Test
    void invalidFramesGetAnErrorAndTheConnectionStays() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.connection.onTextPart("nope", true, System.nanoTime());
        settle();
        assertEquals("invalid-json", alice.last().getString("code"));
        alice.connection.onTextPart("{\"type\":\"dance\"}", true, System.nanoTime());
        settle();
        assertEquals("unknown-type", alice.last().getString("code"));
        alice.say("still here");
        assertEquals("still here", alice.last().getString("text"));
        assertNull(alice.closed);
    }

    @Test
    void aMessageOverTheLimitClosesWith1009EvenInParts() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        String part = "x".repeat(500);
        alice.connection.onTextPart(part, false, System.nanoTime());
        alice.connection.onTextPart(part, false, System.nanoTime());
        settle();
        assertNull(alice.closed, "1000 bytes so far, within the limit of 1024");
        alice.connection.onTextPart(part, true, System.nanoTime());
        settle();
        assertEquals(CloseReason.CloseCodes.TOO_BIG, alice.closed.getCloseCode());
    }

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        String prefix = "{\"type\":\"message\",\"text\":\"";
        String frame = prefix + "é".repeat((1024 - prefix.length() - 2) / 2) + "\"}";
        assertEquals(1024, Utf8.length(frame));
        alice.connection.onTextPart(frame, true, System.nanoTime());
        settle();
        assertEquals("message", alice.last().getString("type"));
        assertNull(alice.closed);
    }

    @Test
    void aBinaryFrameClosesWith1003AfterWhatIsQueued() {
        start(64, 50);
        Client alice = client("name=alice");
        alice.connect("lobby");
        alice.connection.onBinary(System.nanoTime());
        settle();
        assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT, alice.closed.getCloseCode());
        assertEquals(List.of("presence", "history"), alice.types(), "the frames queued before it went first");
    }

    @Test
    void aRoomTheTopicRulesRefuseGetsAnErrorAndA1008() {
        start(64, 50);
        Client c = client("name=alice").open("a{b}");
        assertEquals("invalid-room", c.last().getString("code"));
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, c.closed.getCloseCode());
        assertEquals(0, connections.openConnections());
        assertEquals(0, gate.open(Transport.WEBSOCKET), "the permit is given back");
        assertEquals(1, traffic.count("rejected:invalid-room"));
        assertEquals(0, traffic.count("closed:websocket:client") + traffic.count("closed:websocket:limit"),
                "refused for its request, like a stream: never counted as an open connection that closed");
    }

    // --- heartbeat ---

    @Test
    void theSweepPingsWhenDue() {
        start(64, 50);
        long t0 = System.nanoTime();
        Client alice = client("name=alice").open("lobby");
        alice.connection.heartbeat(t0 + PING.toNanos() - 1);
        settle();
        assertEquals(0, alice.pings.get(), "not due yet");
        alice.connection.heartbeat(t0 + 2 * PING.toNanos());
        settle();
        assertEquals(1, alice.pings.get());
        alice.connection.heartbeat(t0 + 3 * PING.toNanos() - 1);
        settle();
        assertEquals(1, alice.pings.get(), "one per interval");
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeoutAndLeaves() {
        start(64, 50);
        Client watcher = client("name=watcher").open("lobby");
        Client silent = client("name=silent").open("lobby");
        long opened = System.nanoTime();
        silent.connection.heartbeat(opened + IDLE.toNanos() - PING.toNanos());
        settle();
        assertNull(silent.closed);
        silent.connection.onPong(opened + IDLE.toNanos() - PING.toNanos());
        silent.connection.heartbeat(opened + IDLE.toNanos() + 1);
        settle();
        assertNull(silent.closed, "a pong restarts the idle clock");
        silent.connection.heartbeat(opened + 2 * IDLE.toNanos());
        settle();
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, silent.closed.getCloseCode());
        assertEquals(1, traffic.count("closed:websocket:client"), "a vanished client is a client gone");
        assertEquals(1, gate.open(Transport.WEBSOCKET), "only the watcher holds a permit");
        assertEquals("presence_diff", watcher.last().getString("type"));
        assertEquals(List.of("silent"), names(watcher.last(), "left"));
    }

    @Test
    void aSilentConnectionWithAWriteStuckOnTheWireIsASlowReader() throws Exception {
        start(64, 50);
        Client stuck = stuckInAWrite();
        stuck.connection.heartbeat(System.nanoTime() + IDLE.toNanos() + 1);
        await(stuck.closedLatch);
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, stuck.closed.getCloseCode());
        stuck.unstall();
    }

    // --- operations: the gate, traffic, drain ---

    /** Frames that carry an event (and count as delivered): messages and presence diffs. */
    private static long eventFrames(Client c) {
        return c.types().stream().filter(t -> t.equals("message") || t.equals("presence_diff")).count();
    }

    @Test
    void theGateCountsAConnectionUntilTheClientLeavesAndHearsWhy() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        assertEquals(1, gate.open(Transport.WEBSOCKET));
        alice.connection.closed(); // the container's @OnClose: the client left
        alice.connection.closed();
        settle();
        assertEquals(0, gate.open(Transport.WEBSOCKET));
        assertEquals(1, traffic.count("closed:websocket:client"), "released once");
        assertEquals(0, connections.openConnections());
    }

    @Test
    void aConnectionClosedForALimitIsCountedOnceAsLimitAndRefusedMessagesAsRejected() {
        start(64, 50);
        Client binary = client("name=binary").open("lobby");
        binary.connection.onBinary(System.nanoTime());
        settle();
        Client big = client("name=big").open("lobby");
        big.connection.onTextPart("x".repeat(2000), true, System.nanoTime());
        settle();
        Client flood = client("name=flood").open("lobby");
        for (int i = 0; i < 1000 && flood.closed == null; i++) {
            flood.say("m" + i);
        }

        assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT, binary.closed.getCloseCode());
        assertEquals(CloseReason.CloseCodes.TOO_BIG, big.closed.getCloseCode());
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, flood.closed.getCloseCode());
        assertEquals(3, traffic.count("closed:websocket:limit"));
        assertEquals(0, traffic.count("closed:websocket:client"), "the container's close after ours is not counted again");
        assertEquals(0, gate.open(Transport.WEBSOCKET));
        long errorFrames = flood.types().stream().filter(t -> t.equals("error")).count();
        assertTrue(errorFrames >= 20, "20 refusals in a row before the close; got " + errorFrames);
        assertEquals(errorFrames, traffic.count("rejected:rate-limited"), "each error frame is a refused request");
    }

    @Test
    void everyEventWrittenIsReportedAsDeliveredAndAReplayAsNotLive() {
        start(64, 50);
        Client bob = client("name=bob").open("lobby");
        Client alice = client("name=alice").open("lobby");
        bob.say("seen");
        String lastSeen = alice.last().getString("id");
        alice.connection.closed();
        settle();
        bob.say("missed");
        Client back = client("name=alice&since=" + lastSeen).open("lobby");
        bob.say("live");

        assertEquals(List.of("missed", "live"), back.texts());
        assertEquals(eventFrames(bob) + eventFrames(alice) + eventFrames(back), traffic.count("delivered:websocket"));
        assertEquals(1, traffic.latencySamples().stream().filter(java.util.Objects::isNull).count(),
                "only the batch of the replayed message has no live event to sample");
    }

    @Test
    void aDrainDeliversWhatWasSentThenTheShutdownFrameThenClosesWith1001() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        Client bob = client("name=bob").open("lobby");
        hub.publish("chat/lobby", "message", "{\"user\":\"x\",\"text\":\"last words\"}", false);
        settle();
        assertEquals(2, connections.openConnections());

        connections.drain(() -> ControlEvent.shutdown(1500));
        settle();

        for (Client c : List.of(alice, bob)) {
            assertEquals("last words", c.texts().get(c.texts().size() - 1));
            assertEquals("{\"type\":\"shutdown\",\"retry_ms\":1500}", c.frames.get(c.frames.size() - 1));
            assertEquals(CloseReason.CloseCodes.GOING_AWAY, c.closed.getCloseCode());
        }
        assertEquals(0, connections.openConnections());
        assertEquals(0, gate.open(Transport.WEBSOCKET));
        assertEquals(2, traffic.count("closed:websocket:shutdown"));
    }

    @Test
    void aConnectionThatOpensDuringADrainIsToldToLeaveToo() {
        start(64, 50);
        connections.drain(() -> ControlEvent.shutdown(2000));
        Client late = client("name=late").open("lobby");
        assertEquals(List.of("presence", "history", "shutdown"), late.types());
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, late.closed.getCloseCode());
        assertEquals(0, connections.openConnections());
    }

    @Test
    void whileTheHubRefusesEventsAMessageGetsADrainingErrorAndAJoinIsRefusedWith1001() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        hub.stopAccepting(Duration.ofSeconds(3), Duration.ofSeconds(1));

        alice.say("too late");
        assertEquals("draining", alice.last().getString("code"));
        assertNull(alice.closed, "the drain closes it, not the refused message");

        Client late = client("name=late").open("lobby");
        assertEquals("draining", late.last().getString("code"));
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, late.closed.getCloseCode());
        assertEquals(2, traffic.count("rejected:draining"));
        assertEquals(1, gate.open(Transport.WEBSOCKET), "the refused joiner gave its permit back");
    }

    @Test
    void forceCloseCutsOffAReaderThatStalledWith1001WithoutAGoodbye() throws Exception {
        start(64, 50);
        Client stuck = stuckInAWrite();
        connections.drain(() -> ControlEvent.shutdown(1000));
        assertEquals(1, connections.openConnections(), "the farewell cannot reach a client that does not read");

        connections.forceClose();
        await(stuck.closedLatch);
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, stuck.closed.getCloseCode());
        awaitCondition(() -> connections.openConnections() == 0, "the stuck connection to end once its send failed");
        assertEquals(1, traffic.count("closed:websocket:shutdown"));
        assertFalse(stuck.types().contains("shutdown"));
    }
}
