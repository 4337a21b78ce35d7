package dev.rivulet.chat;

import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.hub.UnavailableException;
import dev.rivulet.hub.Utf8;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.FrameCache;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket chat member: the feed of its {@link Connection}, and the reading side of its socket.
 *
 * <p>Writing: the connection's writer, a virtual thread of its own, sends the frames one at a time
 * with blocking sends (Liberty allows one write in flight per session, which holds by construction):
 * first the connection's own frames (presence, history, errors), then what its hub
 * {@link Subscriber} hands out, whose bounded queue and overflow policy decide what becomes of a
 * reader that stalls: the hub ends the subscription and the connection closes with 1013. A send to
 * a client that stopped reading parks only this writer; a publisher only ever queues and wakes it.
 * A close runs on the writer once its last send returned, or, when that send is stuck on a client
 * that stopped reading, on a virtual thread of its own, whose close makes the stuck send fail.
 *
 * <p>Reading: each text frame is rate-limited, parsed and published to the room's topic; what is
 * wrong with it comes back as an error frame. Any frame from the client, pongs included, shows it
 * is alive; {@link #heartbeat} pings it and closes it when it has been silent too long.
 *
 * <p>Under the operations layer it is a streaming connection like any other: its connection holds
 * the gate's {@link Permit} and gives it back once, saying why it ended; it reports what it writes
 * and each frame it refuses to {@link Traffic}; and a drain ends it like a stream: what it was
 * sent, then the {@code shutdown} frame, then a close with 1001.
 */
final class ChatConnection implements Connection.Feed {

    private static final Logger LOG = Logger.getLogger(ChatConnection.class.getName());

    /** Frames written in one turn before the writer lets other connections write. */
    private static final int BATCH = 64;
    /**
     * Most frames of its own a connection holds for a client. Only a client that sends and never
     * reads gets near it (errors are rate-limited); it is then treated as a stalled reader.
     */
    static final int MAX_OWN_FRAMES = 256;

    /** How a connection ends: the close frame the client gets, and the reason the gate and the metrics count. */
    record Ending(CloseReason close, Subscriber.CloseReason reason) {
    }

    static final Ending TOO_SLOW = new Ending(new CloseReason(CloseCodes.TRY_AGAIN_LATER,
            "too slow to keep up; reconnect with since=<last id>"), Subscriber.CloseReason.SLOW);
    static final Ending IDLE = new Ending(new CloseReason(CloseCodes.GOING_AWAY, "no pong within the idle timeout"),
            Subscriber.CloseReason.CLIENT_GONE);
    static final Ending SHUTDOWN = new Ending(new CloseReason(CloseCodes.GOING_AWAY, "the server is shutting down"),
            Subscriber.CloseReason.SHUTDOWN);
    static final Ending BROKEN = new Ending(new CloseReason(CloseCodes.GOING_AWAY, "the connection failed"),
            Subscriber.CloseReason.CLIENT_GONE);
    static final Ending FLOOD = new Ending(new CloseReason(CloseCodes.VIOLATED_POLICY, "too many messages"),
            Subscriber.CloseReason.LIMIT);
    static final Ending EXPIRED = new Ending(new CloseReason(CloseCodes.VIOLATED_POLICY,
            "the token has expired; join again with a new one"), Subscriber.CloseReason.AUTH);
    static final Ending BINARY = new Ending(new CloseReason(CloseCodes.CANNOT_ACCEPT,
            "binary frames are not accepted; send JSON text"), Subscriber.CloseReason.LIMIT);

    /** The ending for a connection closed for {@code reason} by something that did not choose one. */
    private static Ending endingFor(Subscriber.CloseReason reason) {
        return switch (reason) {
            case SLOW -> TOO_SLOW;
            case SHUTDOWN -> SHUTDOWN;
            case AUTH -> EXPIRED;
            default -> BROKEN;
        };
    }

    private final Connection connection;
    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Hub hub;
    private final FrameCache<String> frames;
    private final Traffic traffic;
    private final Permit permit;
    private final MessageRate rate;
    private final Consumer<ChatConnection> onRelease;
    private final int maxMessageBytes;
    private final Ending tooBig;
    private final long pingNanos;
    private final long idleNanos;

    private final ArrayDeque<String> own = new ArrayDeque<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private final AtomicBoolean hubClosed = new AtomicBoolean();
    /** How the connection ends, once that is decided; the first decision stands. */
    private final AtomicReference<Ending> ending = new AtomicReference<>();

    // Set once by attach, before the writer starts; read by the writer and the reader afterwards.
    private volatile boolean attached;
    private volatile ChatRooms.Joined member;
    private volatile String topic;
    private volatile Subscriber subscriber;
    /** Presence announcements up to this position are in the presence frame the client got. */
    private long presenceShownUpTo = Long.MIN_VALUE;
    /** Messages up to this position were in the history frame the client got. */
    private long historyShownUpTo = Long.MIN_VALUE;

    /** Guarded by this: the connection closes once the frames of its own queued before it are sent. */
    private boolean closeAfterOwn;

    /** The writer is inside a send: a send that does not return is a reader that stopped reading. */
    private volatile boolean writing;
    /** The send the writer waits for, if any. */
    private volatile CompletableFuture<SendResult> inFlight;
    /** The container said the socket closed. */
    private volatile boolean socketGone;

    /** The parts of a text message that arrives in several; touched only by the container's reader. */
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;

    private volatile boolean pingDue;
    private volatile long lastHeard;
    private volatile long lastPing;

    ChatConnection(Connection connection, Session session, Hub hub, FrameCache<String> frames, ChatConfig config,
                   Traffic traffic, Permit permit, long now, Consumer<ChatConnection> onRelease) {
        this.connection = connection;
        this.session = session;
        this.remote = session.getAsyncRemote();
        remote.setSendTimeout(config.sendTimeout().toMillis());
        this.hub = hub;
        this.frames = frames;
        this.traffic = traffic;
        this.permit = permit;
        this.onRelease = onRelease;
        this.rate = new MessageRate(config.maxMessagesPerSecond(), System::nanoTime);
        this.maxMessageBytes = config.maxMessageBytes();
        this.tooBig = new Ending(new CloseReason(CloseCodes.TOO_BIG, "a message is at most " + maxMessageBytes + " bytes"),
                Subscriber.CloseReason.LIMIT);
        this.pingNanos = config.pingInterval().toNanos();
        this.idleNanos = config.idleTimeout().toNanos();
        this.lastHeard = now;
        this.lastPing = now;
    }

    /**
     * Called by the subscription whenever it has something to hand out or has closed. A
     * subscription the hub ended (too slow, or stopping) closes the connection; anything else
     * wakes the writer. Called on publishers' threads, inside the hub's fan-out: the close, which
     * leaves the room and so publishes, runs on a virtual thread of its own, never inside a fan-out.
     */
    void subscriptionChanged() {
        Subscriber s = subscriber;
        if (s != null && s.isClosed() && !released.get() && hubClosed.compareAndSet(false, true)) {
            Ending e = endingFor(s.closeReason());
            Thread.ofVirtual().name("rivulet-websocket-close").start(() -> closeNow(e));
        } else {
            connection.wake();
        }
    }

    /**
     * Starts the connection in its room: the opening frames go first, then the subscription's
     * events, skipping those the opening frames already showed. It runs before the writer starts,
     * so no event can overtake the opening.
     */
    void attach(ChatRooms.Joined member, String topic, Subscriber subscriber, List<String> opening,
                long historyShownUpTo) {
        synchronized (this) {
            this.member = member;
            this.topic = topic;
            this.subscriber = subscriber;
            this.presenceShownUpTo = member.announcedAt();
            this.historyShownUpTo = historyShownUpTo;
            own.addAll(opening);
        }
        attached = true;
    }

    /**
     * Refuses the connection before it joins anything: the error frame, then a close with {@code code}.
     * Like a stream refused for its request, it gives its permit back as never opened.
     */
    void refuse(InvalidInputException e, CloseReason.CloseCode code) {
        synchronized (this) {
            own.add(ChatFrames.error(e));
        }
        permit.withdraw();
        attached = true;
        closeAfterOwn(new Ending(new CloseReason(code, reasonPhrase(e.getMessage())), Subscriber.CloseReason.LIMIT));
    }

    /**
     * The node drains: the connection writes what it was sent, then {@code farewell} as a
     * {@code shutdown} frame, then closes with 1001.
     */
    @Override
    public void leave(ControlEvent farewell) {
        Subscriber s = subscriber;
        if (s != null) {
            s.shutdown(farewell);
        }
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    static String reasonPhrase(String text) {
        String phrase = text;
        while (phrase.getBytes(StandardCharsets.UTF_8).length > 123) {
            phrase = phrase.substring(0, phrase.offsetByCodePoints(phrase.length(), -1));
        }
        return phrase;
    }

    Connection connection() {
        return connection;
    }

    ChatRooms.Joined member() {
        return member;
    }

    // --- reading ---

    /**
     * Part of a text message from the client. The parts are counted in UTF-8 bytes as they come, so
     * a message over the limit is refused at the part that passes it, however it was fragmented,
     * and never held whole.
     */
    void onTextPart(String part, boolean last, long now) {
        lastHeard = now;
        if (!attached || released.get()) {
            return;
        }
        partialBytes += Utf8.length(part);
        if (partialBytes > maxMessageBytes) {
            partial.setLength(0);
            closeNow(tooBig);
            return;
        }
        if (!last) {
            partial.append(part);
            return;
        }
        String text = partial.isEmpty() ? part : partial.append(part).toString();
        partial.setLength(0);
        partialBytes = 0;
        onText(text);
    }

    private void onText(String text) {
        switch (rate.admit()) {
            case ACCEPT -> publish(text);
            case REFUSE -> refuseMessage("rate-limited", "more messages than the limit per second; this one was not sent");
            case ABUSE -> {
                refuseMessage("rate-limited", "still over the message rate; closing the connection");
                closeAfterOwn(FLOOD);
            }
        }
    }

    private void publish(String text) {
        try {
            ClientFrame frame = ClientFrame.parse(text);
            hub.publish(topic, ClientFrame.MESSAGE, frame.data(member.name()), false);
        } catch (InvalidInputException e) {
            refuseMessage(e.problem(), e.getMessage());
        } catch (UnavailableException e) {
            refuseMessage(e.problem(), e.getMessage());
        }
    }

    /** A message not sent: the client gets an error frame, and it counts as a refused request under its code. */
    private void refuseMessage(String code, String message) {
        traffic.rejected(code);
        sendOwn(ChatFrames.error(code, message));
    }

    /** A binary frame: chat speaks JSON text only. */
    void onBinary(long now) {
        lastHeard = now;
        closeAfterOwn(BINARY);
    }

    /** A pong (an answer to a ping, or a client's own heartbeat). */
    void onPong(long now) {
        lastHeard = now;
    }

    // --- heartbeat ---

    /**
     * Called by the sweep: closes a connection silent for the idle timeout (a vanished client
     * leaves the room within it), and pings one that is due. A silent connection with a frame stuck
     * on the wire is a reader that stopped reading: it gets 1013, like one whose queue overflowed.
     * (A member whose token has expired is closed by its connection's sweep, with 1008.)
     */
    void heartbeat(long now) {
        if (released.get()) {
            return;
        }
        if (now - lastHeard >= idleNanos) {
            closeNow(writing ? TOO_SLOW : IDLE);
        } else if (now - lastPing >= pingNanos) {
            lastPing = now;
            pingDue = true;
            connection.wake();
        }
    }

    // --- writing ---

    private void sendOwn(String frame) {
        boolean full;
        synchronized (this) {
            full = own.size() >= MAX_OWN_FRAMES;
            if (!full) {
                own.addLast(frame);
            }
        }
        if (full) {
            closeNow(TOO_SLOW);
        } else {
            connection.wake();
        }
    }

    /** Sends what there is, a batch at most, one frame at a time; after the farewell, closes. */
    @Override
    public Connection.Turn write() throws IOException {
        if (!attached) {
            return Connection.Turn.IDLE;
        }
        int sent = 0;
        int events = 0;
        Event firstLive = null;
        Subscriber s = subscriber;
        boolean ownSent = false;
        try {
            for (; sent < BATCH; sent++) {
                String frame = null;
                Event event = null;
                boolean ping = false;
                synchronized (this) {
                    if (pingDue && !released.get()) {
                        pingDue = false;
                        ping = true;
                    } else if (!own.isEmpty()) {
                        frame = own.pollFirst();
                    } else if (closeAfterOwn) {
                        ownSent = true;
                        break;
                    } else {
                        Frame next = nextEventFrame();
                        if (next == null) {
                            break;
                        }
                        frame = next.text();
                        event = next.event();
                    }
                }
                writing = true;
                try {
                    if (connection.closeReason() != null) {
                        break; // closing: what is left is not sent
                    }
                    if (ping) {
                        // A fresh buffer each time: Liberty's writer needs a writable, array-backed one.
                        remote.sendPing(ByteBuffer.wrap(new byte[] {'r'}));
                    } else {
                        send(frame);
                    }
                } finally {
                    writing = false;
                }
                if (event != null) {
                    events++;
                    if (firstLive == null && s.isLive(event)) {
                        firstLive = event;
                    }
                }
            }
        } finally {
            if (events > 0) {
                traffic.delivered(Transport.WEBSOCKET, events, firstLive);
            }
        }
        if (ownSent) {
            // Its own frames are out: now the close it was waiting for.
            connection.close(ending.get().reason());
        } else if (s != null && s.finished()) {
            // The shutdown frame is on the wire, after everything the connection was sent.
            closeNow(SHUTDOWN);
        }
        return sent == BATCH ? Connection.Turn.FULL : sent > 0 ? Connection.Turn.WROTE : Connection.Turn.IDLE;
    }

    /**
     * Sends one frame and waits, parked, for the send to finish. An asynchronous send with a
     * deadline: a blocking one to a client that stopped reading never fails (Liberty's write
     * timeout does not apply to it), and closing the session under it then blocks on the close
     * frame for as long, so a stalled client would hold its socket for good. A send that passes
     * {@code rivulet.chat.send-timeout} fails, and the close after it returns at once.
     */
    private void send(String frame) throws IOException {
        CompletableFuture<SendResult> sent = new CompletableFuture<>();
        inFlight = sent;
        try {
            if (socketGone) {
                throw new IOException("the client closed the connection");
            }
            remote.sendText(frame, sent::complete);
            SendResult result = sent.get();
            if (!result.isOK()) {
                throw new IOException("the send failed", result.getException());
            }
        } catch (ExecutionException e) {
            throw new IOException("the send failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } finally {
            inFlight = null;
        }
    }

    /** A frame ready for the wire, and the event it carries (null for a control event). */
    private record Frame(String text, Event event) {
    }

    /** The next frame from the subscription, skipping what the opening frames already showed. */
    private Frame nextEventFrame() {
        Subscriber s = subscriber;
        if (s == null) {
            return null;
        }
        for (Outbound item; (item = s.poll()) != null; ) {
            if (item instanceof Event e) {
                String frame = shownAlready(e) ? null : frames.frame(e, event -> ChatFrames.of(event, member.room()));
                if (frame != null) {
                    return new Frame(frame, e);
                }
            } else {
                String frame = ChatFrames.of(item, member.room());
                if (frame != null) {
                    return new Frame(frame, null);
                }
            }
        }
        return null;
    }

    private boolean shownAlready(Event e) {
        long position = e.id().position();
        // The history block holds messages only; announcements have their own mark.
        return e.type().equals(ChatRooms.PRESENCE_DIFF) ? position <= presenceShownUpTo : position <= historyShownUpTo;
    }

    // --- ending ---

    /**
     * Ends the connection at once, without sending what is queued: it is stalled, silent or
     * broken, or said its goodbye, or the drain's grace ran out.
     */
    void closeNow(Ending e) {
        ending.compareAndSet(null, e);
        connection.close(e.reason());
    }

    /** Leaves the room at once, and closes the socket once the frames of its own already queued are sent. */
    private void closeAfterOwn(Ending e) {
        ending.compareAndSet(null, e);
        release(e.reason());
        synchronized (this) {
            closeAfterOwn = true;
        }
        connection.wake();
    }

    /**
     * The connection closes: the member leaves the room and its subscription ends now. A send
     * stuck on a client that stopped reading fails by its deadline; the writer then closes.
     */
    @Override
    public void closing(Subscriber.CloseReason reason) {
        ending.compareAndSet(null, endingFor(reason));
        release(reason);
    }

    /** The writer is done: the close frame the ending chose. */
    @Override
    public void end(Subscriber.CloseReason reason) {
        ending.compareAndSet(null, endingFor(reason));
        closeSocket();
    }

    /**
     * Leaves the room and ends the subscription, once; called for every way a connection ends,
     * including the container telling us the socket closed.
     */
    void release(Subscriber.CloseReason reason) {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        Subscriber s = subscriber;
        if (s != null) {
            s.close(reason);
        }
        onRelease.accept(this);
    }

    /**
     * The socket closed under us (the client left or the connection failed). A client that resets
     * its socket never completes the send in flight, so that send fails here.
     */
    void closed() {
        socketGone = true;
        CompletableFuture<SendResult> sent = inFlight;
        if (sent != null) {
            sent.completeExceptionally(new IOException("the client closed the connection"));
        }
        closeNow(BROKEN);
    }

    /**
     * Closes the socket, once. Liberty's close waits for the read it cancels to call back, and up
     * to seconds for a send stuck on the wire; here that is a parked virtual thread.
     */
    private void closeSocket() {
        if (!socketClosed.compareAndSet(false, true)) {
            return;
        }
        CloseReason reason = ending.get().close();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "Closing chat connection {0}: {1}", new Object[] {session.getId(), reason});
        }
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing a chat connection failed", e);
        }
    }
}
