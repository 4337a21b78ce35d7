package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A chat connection against a real hub and a fake WebSocket session that, like Liberty, allows
 * one outstanding write. The test decides when each write completes and runs the executor's tasks.
 */
class ChatConnectionTest {

    private static final Duration PING = Duration.ofSeconds(1);
    private static final Duration IDLE = Duration.ofSeconds(3);

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** When set, tasks run on these threads instead of when the test says. */
    private volatile ExecutorService pool;
    private int tasksRun;
    private Hub hub;
    private ChatSessions sessions;

    private void start(int queueSize, int history) {
        HubConfig hubConfig = HubConfig.of(queueSize, Overflow.DISCONNECT, 1000, Duration.ofHours(1), 1 << 20);
        hub = new Hub(new MemoryBroker(hubConfig), hubConfig);
        postConstruct(hub);
        sessions = new ChatSessions();
        sessions.executor = (ManagedExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ManagedExecutorService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("execute")) {
                        if (pool != null) {
                            pool.execute((Runnable) args[0]);
                        } else {
                            tasks.add((Runnable) args[0]);
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        sessions.hub = hub;
        sessions.rooms = new ChatRooms(hub);
        sessions.config = ChatConfig.of(true, history, 1024, 20, PING, IDLE);
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

    /** Runs the executor's tasks, including those they schedule, until none is left. */
    private void runTasks() {
        for (Runnable r; (r = tasks.poll()) != null; ) {
            tasksRun++;
            r.run();
        }
    }

    /** The client end of one connection: what was written to it and how it was closed. */
    private final class Client {
        final List<String> frames = new ArrayList<>();
        final List<SendHandler> pending = new ArrayList<>();
        int pings;
        int overlappingWrites;
        boolean completeAtOnce;
        CloseReason closed;
        final Session session;
        ChatConnection connection;

        Client(String query) {
            Map<String, List<String>> parameters = new java.util.HashMap<>();
            for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(kv[0], List.of(kv[1]));
            }
            RemoteEndpoint.Async async = proxy(RemoteEndpoint.Async.class, (method, args) -> {
                if (!method.equals("sendText")) {
                    throw new UnsupportedOperationException(method);
                }
                if (!pending.isEmpty()) {
                    overlappingWrites++;
                }
                frames.add((String) args[0]);
                SendHandler handler = (SendHandler) args[1];
                if (completeAtOnce) {
                    handler.onResult(new SendResult());
                } else {
                    pending.add(handler);
                }
                return null;
            });
            RemoteEndpoint.Basic basic = proxy(RemoteEndpoint.Basic.class, (method, args) -> {
                if (!method.equals("sendPing")) {
                    throw new UnsupportedOperationException(method);
                }
                if (!pending.isEmpty()) {
                    overlappingWrites++;
                }
                pings++;
                return null;
            });
            session = proxy(Session.class, (method, args) -> switch (method) {
                case "getAsyncRemote" -> async;
                case "getBasicRemote" -> basic;
                case "getRequestParameterMap" -> parameters;
                case "close" -> {
                    closed = (CloseReason) args[0];
                    connection.release(); // as the container's @OnClose does
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            });
        }

        Client open(String room) {
            connection = sessions.open(session, room);
            runTasks();
            return this;
        }

        /** Completes the write on the wire, as the socket taking the frame would. */
        void completeWrite() {
            SendHandler h = pending.remove(0);
            h.onResult(new SendResult());
            runTasks();
        }

        void completeAll() {
            while (!pending.isEmpty()) {
                completeWrite();
            }
        }

        void say(String text) {
            connection.onTextPart("{\"type\":\"message\",\"text\":" + quote(text) + "}", true, System.nanoTime());
            runTasks();
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

        JsonObject last() {
            List<JsonObject> all = json();
            return all.get(all.size() - 1);
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

    private static String quote(String s) {
        return dev.rivulet.hub.JsonText.quote(s);
    }

    // --- opening ---

    @Test
    void aNewMemberGetsPresenceThenHistoryOfMessagesOnly() {
        start(64, 2);
        Client alice = client("name=alice").open("lobby");
        alice.completeAll();
        alice.say("one");
        alice.say("two");
        alice.say("three");
        alice.completeAll();

        Client bob = client("name=bob").open("lobby");
        bob.completeAll();

        List<JsonObject> frames = bob.json();
        assertEquals(List.of("presence", "history"), bob.types());
        assertEquals("bob", frames.get(0).getString("you"));
        assertEquals(List.of("alice", "bob"), frames.get(0).getJsonArray("users").getValuesAs(JsonString::getString));
        List<String> history = frames.get(1).getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(m -> m.getString("text")).toList();
        assertEquals(List.of("two", "three"), history, "the last rivulet.chat.history messages, oldest first");
        assertEquals("join", alice.last().getString("type"));
        assertEquals("bob", alice.last().getString("user"));
    }

    @Test
    void aMemberDoesNotGetItsOwnJoinNorAnEventTheHistoryShowed() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.completeAll();
        alice.say("hello");
        alice.completeAll();
        assertEquals(List.of("presence", "history", "message"), alice.types());
    }

    @Test
    void aTakenNameIsNumberedAndTheClientIsToldItsName() {
        start(64, 50);
        client("name=alice").open("lobby").completeAll();
        Client second = client("name=alice").open("lobby");
        second.completeAll();
        assertEquals("alice-2", second.json().get(0).getString("you"));
        second.say("hi");
        second.completeAll();
        assertEquals("alice-2", second.last().getString("user"));
    }

    // --- writing ---

    @Test
    void onlyOneWriteIsEverOnTheWireAndFramesKeepTheirOrder() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        for (int i = 0; i < 10; i++) {
            alice.say("m" + i);
        }
        assertEquals(1, alice.frames.size(), "nothing more leaves until the first write completes");
        alice.completeAll();

        assertEquals(0, alice.overlappingWrites);
        List<String> texts = alice.json().stream().filter(o -> o.getString("type").equals("message"))
                .map(o -> o.getString("text")).toList();
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), texts);
    }

    @Test
    void writesThatCompleteAtOnceDoNotRecurseAndGiveTheThreadBackInBatches() {
        start(20_000, 50);
        Client alice = client("name=alice");
        alice.completeAtOnce = true;
        alice.open("lobby");
        Client bob = client("name=bob").open("lobby"); // bob's queue fills while his first write waits
        for (int i = 0; i < 5_000; i++) {
            hub.publish("chat/lobby", "message", "{\"user\":\"x\",\"text\":\"" + i + "\"}", false);
        }
        tasksRun = 0;
        runTasks();
        long messages = alice.json().stream().filter(o -> o.getString("type").equals("message")).count();
        assertEquals(5_000, messages);
        assertTrue(tasksRun >= 5_000 / 64, "the drain yields its thread every batch; it ran " + tasksRun + " times");
        assertEquals(0, alice.overlappingWrites);
        assertEquals(1, bob.frames.size());
    }

    @Test
    void aReaderThatStallsIsClosedWith1013AndLeavesWhileTheRoomGoesOn() {
        start(4, 50);
        Client slow = client("name=slow").open("lobby");
        Client fast = client("name=fast").open("lobby");
        fast.completeAll();
        // slow never completes its first write: its queue of 4 fills and the fifth event overflows it.
        for (int i = 0; i < 6; i++) {
            fast.say("m" + i);
            fast.completeAll();
        }
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, slow.closed.getCloseCode());
        List<JsonObject> seen = fast.json();
        assertEquals(6, seen.stream().filter(o -> o.getString("type").equals("message")).count());
        assertTrue(seen.stream().anyMatch(o -> o.getString("type").equals("leave") && o.getString("user").equals("slow")));
        assertEquals(1, hub.subscriberCount("chat/lobby"), "only the fast member is still subscribed");
    }

    @Test
    void underConcurrentPublishersAndCompletionsNoWriteOverlapsAndNothingIsLostOrReordered() throws Exception {
        start(100_000, 50);
        pool = Executors.newFixedThreadPool(3);
        ExecutorService completer = Executors.newSingleThreadExecutor();
        ExecutorService publishers = Executors.newFixedThreadPool(3);
        try {
            AtomicBoolean outstanding = new AtomicBoolean();
            AtomicInteger overlaps = new AtomicInteger();
            List<String> frames = new CopyOnWriteArrayList<>();
            RemoteEndpoint.Async async = proxy(RemoteEndpoint.Async.class, (method, args) -> {
                if (!outstanding.compareAndSet(false, true)) {
                    overlaps.incrementAndGet();
                }
                frames.add((String) args[0]);
                SendHandler handler = (SendHandler) args[1];
                Runnable complete = () -> {
                    outstanding.set(false);
                    handler.onResult(new SendResult());
                };
                // Like Liberty: some writes complete on the caller's thread, others later on another.
                if (ThreadLocalRandom.current().nextBoolean()) {
                    complete.run();
                } else {
                    completer.execute(complete);
                }
                return null;
            });
            Map<String, Object> parameters = new ConcurrentHashMap<>(Map.of("name", List.of("reader")));
            Session session = proxy(Session.class, (method, args) -> switch (method) {
                case "getAsyncRemote" -> async;
                case "getRequestParameterMap" -> parameters;
                default -> throw new UnsupportedOperationException(method);
            });
            sessions.open(session, "busy");
            int perPublisher = 3000;
            for (int p = 0; p < 3; p++) {
                String sender = "p" + p;
                publishers.execute(() -> {
                    for (int i = 0; i < perPublisher; i++) {
                        hub.publish("chat/busy", "message", "{\"user\":\"" + sender + "\",\"text\":\"" + i + "\"}", false);
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (frames.size() < 2 + 3 * perPublisher && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(2 + 3 * perPublisher, frames.size(), "presence, history and every message");
            assertEquals(0, overlaps.get(), "a write started while another was on the wire");
            Map<String, Integer> next = new java.util.HashMap<>();
            for (String f : frames.subList(2, frames.size())) {
                JsonObject m = Json.createReader(new StringReader(f)).readObject();
                int expected = next.getOrDefault(m.getString("user"), 0);
                assertEquals(expected, Integer.parseInt(m.getString("text")), "order of " + m.getString("user"));
                next.put(m.getString("user"), expected + 1);
            }
        } finally {
            publishers.shutdownNow();
            completer.shutdownNow();
            pool.shutdownNow();
        }
    }

    // --- resume ---

    @Test
    void resumingWithSinceDeliversExactlyWhatWasMissedWithoutHistory() {
        start(64, 50);
        Client bob = client("name=bob").open("lobby");
        bob.completeAll();
        Client alice = client("name=alice").open("lobby");
        alice.completeAll();
        bob.say("seen");
        alice.completeAll();
        String lastSeen = alice.last().getString("id");
        alice.connection.release(); // alice drops
        bob.say("missed 1");
        bob.say("missed 2");

        Client back = client("name=alice&since=" + lastSeen).open("lobby");
        back.completeAll();
        bob.say("live");
        back.completeAll();

        assertEquals(List.of("presence", "message", "message", "message"), back.types(),
                "no history block, and no join or leave from before the new join");
        List<JsonObject> frames = back.json();
        assertEquals("alice", frames.get(0).getString("you"));
        assertEquals(List.of("missed 1", "missed 2", "live"),
                frames.subList(1, 4).stream().map(o -> o.getString("text")).toList());
    }

    // --- reading ---

    @Test
    void invalidFramesGetAnErrorAndTheConnectionStays() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.connection.onTextPart("nope", true, System.nanoTime());
        runTasks();
        alice.completeAll();
        assertEquals("invalid-json", alice.last().getString("code"));
        alice.connection.onTextPart("{\"type\":\"dance\"}", true, System.nanoTime());
        runTasks();
        alice.completeAll();
        assertEquals("unknown-type", alice.last().getString("code"));
        alice.say("still here");
        alice.completeAll();
        assertEquals("still here", alice.last().getString("text"));
        assertNull(alice.closed);
    }

    @Test
    void aMessageOverTheLimitClosesWith1009EvenInParts() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.completeAll();
        String part = "x".repeat(500);
        alice.connection.onTextPart(part, false, System.nanoTime());
        alice.connection.onTextPart(part, false, System.nanoTime());
        assertNull(alice.closed, "1000 bytes so far, within the limit of 1024");
        alice.connection.onTextPart(part, true, System.nanoTime());
        runTasks();
        assertEquals(CloseReason.CloseCodes.TOO_BIG, alice.closed.getCloseCode());
    }

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.completeAll();
        String prefix = "{\"type\":\"message\",\"text\":\"";
        String frame = prefix + "é".repeat((1024 - prefix.length() - 2) / 2) + "\"}";
        assertEquals(1024, Utf8.length(frame));
        alice.connection.onTextPart(frame, true, System.nanoTime());
        runTasks();
        alice.completeAll();
        assertEquals("message", alice.last().getString("type"));
        assertNull(alice.closed);
    }

    @Test
    void aBinaryFrameClosesWith1003AfterWhatIsQueued() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        alice.connection.onBinary(System.nanoTime());
        runTasks();
        assertNull(alice.closed, "the opening frames are still on their way");
        alice.completeAll();
        assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT, alice.closed.getCloseCode());
        assertEquals(List.of("presence", "history"), alice.types());
    }

    @Test
    void aRoomTheTopicRulesRefuseGetsAnErrorAndA1008() {
        start(64, 50);
        Client c = client("name=alice").open("a{b}");
        c.completeAll();
        assertEquals("invalid-room", c.last().getString("code"));
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, c.closed.getCloseCode());
        assertEquals(0, sessions.count());
    }

    // --- heartbeat ---

    @Test
    void theSweepPingsWhenDueAndNeverOverAWrite() {
        start(64, 50);
        Client alice = client("name=alice").open("lobby");
        long t0 = System.nanoTime();
        alice.connection.heartbeat(t0 + PING.toNanos() - 1);
        runTasks();
        assertEquals(0, alice.pings, "not due yet");
        alice.connection.heartbeat(t0 + PING.toNanos() + 1);
        runTasks();
        assertEquals(0, alice.pings, "the opening frame is on the wire");
        alice.completeAll();
        assertEquals(1, alice.pings);
        assertEquals(0, alice.overlappingWrites);
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeoutAndLeaves() {
        start(64, 50);
        Client watcher = client("name=watcher").open("lobby");
        Client silent = client("name=silent").open("lobby");
        silent.completeAll();
        long opened = System.nanoTime();
        silent.connection.heartbeat(opened + IDLE.toNanos() - PING.toNanos());
        runTasks();
        assertNull(silent.closed);
        silent.connection.onPong(opened + IDLE.toNanos() - PING.toNanos());
        silent.connection.heartbeat(opened + IDLE.toNanos() + 1);
        runTasks();
        assertNull(silent.closed, "a pong restarts the idle clock");
        silent.connection.heartbeat(opened + 2 * IDLE.toNanos());
        runTasks();
        assertEquals(CloseReason.CloseCodes.GOING_AWAY, silent.closed.getCloseCode());
        watcher.completeAll();
        assertEquals("leave", watcher.last().getString("type"));
        assertEquals("silent", watcher.last().getString("user"));
    }

    @Test
    void aSilentConnectionWithAWriteStuckOnTheWireIsASlowReader() {
        start(64, 50);
        Client stuck = client("name=stuck").open("lobby");
        stuck.connection.heartbeat(System.nanoTime() + IDLE.toNanos() + 1);
        runTasks();
        assertEquals(CloseReason.CloseCodes.TRY_AGAIN_LATER, stuck.closed.getCloseCode());
        assertFalse(stuck.pending.isEmpty());
    }
}
