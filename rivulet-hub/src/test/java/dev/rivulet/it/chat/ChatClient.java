package dev.rivulet.it.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A chat client on the JDK's WebSocket, as any program would use it. Frames arrive in a queue the
 * test takes from with a deadline; pings are answered by the JDK and counted here.
 *
 * @param <F> what the test keeps of each frame (the parsed object, or less when frames are many)
 */
public final class ChatClient<F> implements WebSocket.Listener, AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final Function<String, F> keep;
    final BlockingQueue<F> frames = new LinkedBlockingQueue<>();
    private final AtomicLong received = new AtomicLong();
    private final List<Long> pingTimes = new ArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    WebSocket socket;

    private ChatClient(Function<String, F> keep) {
        this.keep = keep;
    }

    /** Connects to a room path such as {@code /ws/chat/lobby?name=alice}; frames are kept as parsed JSON. */
    public static ChatClient<JsonObject> connect(String path) {
        return connect(path, ChatClient::json);
    }

    static <F> ChatClient<F> connect(String path, Function<String, F> keep) {
        return connectAsync(path, keep).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    static <F> CompletableFuture<ChatClient<F>> connectAsync(String path, Function<String, F> keep) {
        return connectAsync(HubServer.HTTP, path, keep);
    }

    /** Connects to a room on the server listening on {@code port} (one a test started for itself). */
    public static ChatClient<JsonObject> connect(int port, String path) {
        return connectAsync(HubServer.HTTP, URI.create("ws://localhost:" + port + path), ChatClient::json)
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Connects through {@code http}: a test with many clients gives them an HttpClient of their own. */
    static <F> CompletableFuture<ChatClient<F>> connectAsync(HttpClient http, String path, Function<String, F> keep) {
        return connectAsync(http, HubServer.ws(path), keep);
    }

    private static <F> CompletableFuture<ChatClient<F>> connectAsync(HttpClient http, URI uri, Function<String, F> keep) {
        ChatClient<F> client = new ChatClient<>(keep);
        return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, client).thenApply(socket -> {
                    client.socket = socket;
                    return client;
                });
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            frames.add(keep.apply(partial.toString()));
            received.incrementAndGet();
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        synchronized (pingTimes) {
            pingTimes.add(System.nanoTime());
            pingTimes.notifyAll();
        }
        webSocket.request(1);
        return null; // the JDK answers with a pong
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    /** The next frame; fails the test when none comes within the wait. */
    public F next() {
        try {
            F f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                fail("no frame within " + WAIT + state());
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** How many text frames have arrived so far, taken by the test or not. */
    public long received() {
        return received.get();
    }

    /** Frames up to and including the first that matches; fails when none does within the wait. */
    List<F> until(Predicate<F> match) {
        List<F> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            F f;
            try {
                f = frames.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (f == null) {
                fail("no matching frame within " + WAIT + "; saw " + seen + state());
            }
            seen.add(f);
            if (match.test(f)) {
                return seen;
            }
        }
    }

    /** When the pings came, once there are {@code n}, or as many as came within {@code wait}. */
    List<Long> awaitPings(int n, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (pingTimes) {
            for (long left; pingTimes.size() < n && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(pingTimes, left);
            }
            return List.copyOf(pingTimes);
        }
    }

    /** The first frame that matches, skipping others; fails when none does within the wait. */
    public F await(Predicate<F> match) {
        List<F> seen = until(match);
        return seen.get(seen.size() - 1);
    }

    /** Whether and how the connection was closed, for failure messages. */
    private String state() {
        return closed.isDone() ? "; the connection was closed: " + closed.handle((code, error) -> code != null
                ? code + " " + closeReason : String.valueOf(error)).join() : "; the connection is open";
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    public void say(String text) {
        send(Json.createObjectBuilder().add("type", "message").add("text", text).build().toString());
    }

    void say(String text, String clientId) {
        send(Json.createObjectBuilder().add("type", "message").add("text", text).add("client_id", clientId)
                .build().toString());
    }

    /** The close code the server sent; fails when the connection is not closed within the wait. */
    public int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Drops the connection without a close frame, as a client that loses its network does. */
    public void abort() {
        socket.abort();
    }

    /** Starts a normal close: the server answers with its own close frame and lets the connection go. */
    CompletableFuture<Integer> startClose() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        return closed;
    }

    /** Closes normally, waiting a little for the server's answer, then drops what is left. */
    @Override
    public void close() {
        try {
            startClose().get(2, TimeUnit.SECONDS);
        } catch (Exception noAnswer) {
            // dropped below
        }
        socket.abort();
    }

    // --- assertions on parsed frames ---

    static boolean is(JsonObject frame, String type) {
        return type.equals(frame.getString("type"));
    }

    public static Predicate<JsonObject> type(String type) {
        return f -> is(f, type);
    }

    /** A {@code presence_diff} frame that says {@code user} joined. */
    public static Predicate<JsonObject> joined(String user) {
        return f -> is(f, "presence_diff") && names(f, "joined").contains(user);
    }

    /** A {@code presence_diff} frame that says {@code user} left. */
    public static Predicate<JsonObject> left(String user) {
        return f -> is(f, "presence_diff") && names(f, "left").contains(user);
    }

    /** The names of a presence frame's list: {@code users}, {@code joined} or {@code left}. */
    static List<String> names(JsonObject frame, String list) {
        return frame.getJsonArray(list).getValuesAs(JsonString::getString);
    }

    public static Predicate<JsonObject> messageWithText(String text) {
        return f -> is(f, "message") && text.equals(f.getString("text"));
    }

    /** The next frame, which must be of {@code type}. */
    public static JsonObject expect(ChatClient<JsonObject> client, String type) {
        JsonObject f = client.next();
        assertEquals(type, f.getString("type"), "frame " + f);
        return f;
    }
}
