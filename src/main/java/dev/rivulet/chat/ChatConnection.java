package dev.rivulet.chat;

import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.FrameCache;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.hub.Utf8;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket chat connection.
 *
 * <p>Writing: one drain task at a time per connection writes its frames, mirroring
 * {@code StreamSession}: it runs on the shared executor when there is something to send and returns
 * when there is nothing left, so an idle connection holds no thread and Liberty's one-write-at-a-
 * time rule holds by construction. Frames come first from the connection's own queue (presence,
 * history, errors), then from its hub {@link Subscriber}, whose bounded queue and overflow policy
 * decide what becomes of a reader that stalls: the hub ends the subscription and the connection
 * closes with 1013. A publisher only ever queues and schedules; nothing here waits for a client on
 * a publisher's thread.
 *
 * <p>The writes are synchronous on purpose. Liberty finishes an asynchronous write on a pool
 * thread, and a client's close frame makes a pool thread wait, without a timeout, for the write in
 * progress ({@code WsocConnLink.waitToClose}); when many clients close at once every pool thread
 * waits for completions that no thread is left to run, and the server stops answering for seconds
 * (seen here with a room of 200). A synchronous write is finished by the thread that makes it, so
 * a closing client never waits on the pool. The price is that a reader that stops reading holds
 * its drain thread until the hub's overflow policy or the idle timeout closes it.
 *
 * <p>Reading: each text frame is rate-limited, parsed and published to the room's topic; what is
 * wrong with it comes back as an error frame. Any frame from the client, pongs included, shows it
 * is alive; {@link #heartbeat} pings it and closes it when it has been silent too long.
 *
 * <p>Under the operations layer it is a streaming connection like any other: it holds the
 * connection gate's {@link Permit} and gives it back once, saying why it ended; it reports each
 * event it writes and each frame it refuses to {@link Traffic}; and a drain ends it like a stream:
 * what it was sent, then the {@code shutdown} frame, then a close with 1001.
 */
final class ChatConnection implements Runnable {

    private static final Logger LOG = Logger.getLogger(ChatConnection.class.getName());

    /** Frames written in one turn before the task gives its thread back to other connections. */
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

    /** A frame ready for the wire, and the event it carries (null for a control event). */
    private record Frame(String text, Event event) {
    }

    private final Session session;
    private final RemoteEndpoint.Basic remote;
    private final Executor executor;
    private final Executor closer;
    private final Hub hub;
    private final FrameCache<String> frames;
    private final Traffic traffic;
    private final Permit permit;
    /** The member's token (anonymous without one); the connection ends when it expires. */
    private final Grant grant;
    private final MessageRate rate;
    private final Consumer<ChatConnection> onRelease;
    private final int maxMessageBytes;
    private final Ending tooBig;
    private final long pingNanos;
    private final long idleNanos;

    private final ArrayDeque<String> own = new ArrayDeque<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean hubCloseScheduled = new AtomicBoolean();

    // Set once by attach, before the first drain; read by the drain and the reader afterwards.
    private volatile boolean attached;
    private volatile ChatRooms.Joined member;
    private volatile String topic;
    private volatile Subscriber subscriber;
    /** Joins and leaves up to this position are in the presence frame the client got. */
    private long presenceShownUpTo = Long.MIN_VALUE;
    /** Events up to this position were in the history frame the client got. */
    private long historyShownUpTo = Long.MIN_VALUE;

    // Guarded by this.
    private CloseReason closeAfterOwn;
    private boolean closing;

    /** The drain task is inside a write: a write that does not return is a reader that stopped reading. */
    private volatile boolean writing;

    /** The parts of a text message that arrives in several; touched only by the container's reader. */
    private final StringBuilder partial = new StringBuilder();
    private long partialBytes;

    private volatile boolean pingDue;
    private volatile long lastHeard;
    private volatile long lastPing;

    ChatConnection(Session session, Executor executor, Executor closer, Hub hub, FrameCache<String> frames, ChatConfig config,
                   Traffic traffic, Permit permit, Grant grant, long now, Consumer<ChatConnection> onRelease) {
        this.session = session;
        this.grant = grant;
        this.remote = session.getBasicRemote();
        this.executor = executor;
        this.closer = closer;
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
     * Starts the connection in its room: the opening frames go first, then the subscription's
     * events, skipping those the opening frames already showed. Until this runs, {@link #wake}
     * does nothing, so no event can overtake the opening.
     */
    void attach(ChatRooms.Joined member, String topic, Subscriber subscriber, List<String> opening,
                long historyShownUpTo) {
        synchronized (this) {
            this.member = member;
            this.topic = topic;
            this.subscriber = subscriber;
            this.presenceShownUpTo = member.joinId().position();
            this.historyShownUpTo = historyShownUpTo;
            own.addAll(opening);
        }
        attached = true;
        wake();
    }

    /**
     * Refuses the connection before it joins anything: the error frame, then a close with {@code code}.
     * Like a stream refused for its request, it gives its permit back as never opened.
     */
    void refuse(InvalidInputException e, CloseReason.CloseCode code) {
        synchronized (this) {
            own.add(ChatFrames.error(e));
            closeAfterOwn = new CloseReason(code, reasonPhrase(e.getMessage()));
        }
        if (released.compareAndSet(false, true)) {
            permit.withdraw();
            onRelease.accept(this);
        }
        attached = true;
        wake();
    }

    /**
     * The node drains: the connection writes what it was sent, then {@code farewell} as a
     * {@code shutdown} frame, then closes with 1001. Before {@link #attach} it does nothing; the
     * registry tells a connection that attaches during a drain.
     */
    void shutdown(ControlEvent farewell) {
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
        } catch (DrainingException e) {
            refuseMessage("draining", e.getMessage());
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
     * A member whose token has expired is closed with 1008.
     */
    void heartbeat(long now) {
        if (released.get()) {
            return;
        }
        if (grant.expiredAt(Instant.now())) {
            closeNow(EXPIRED);
        } else if (now - lastHeard >= idleNanos) {
            closeNow(writing ? TOO_SLOW : IDLE);
        } else if (now - lastPing >= pingNanos) {
            lastPing = now;
            pingDue = true;
            wake();
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
            wake();
        }
    }

    /**
     * Schedules the drain task unless it is scheduled or running; it looks again for work when it
     * ends. When the hub has ended the subscription (too slow, or stopping), the close is scheduled
     * on its own, since the drain task may be stuck in a write to this very client. Called on
     * publishers' threads, inside the hub's fan-out, so it only ever schedules.
     */
    void wake() {
        if (!attached) {
            return;
        }
        Subscriber s = subscriber;
        if (s != null && s.isClosed() && !released.get() && hubCloseScheduled.compareAndSet(false, true)) {
            Ending ending = s.closeReason() == Subscriber.CloseReason.SLOW ? TOO_SLOW : SHUTDOWN;
            if (!schedule(() -> closeNow(ending))) {
                release(ending.reason());
            }
        }
        if (scheduled.compareAndSet(false, true) && !schedule(this)) {
            // The executor refuses work only while the application stops.
            scheduled.set(false);
            release(Subscriber.CloseReason.SHUTDOWN);
        }
    }

    private boolean schedule(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException stopping) {
            return false;
        }
    }

    /** The drain task: writes what there is, a batch at a time; after the farewell, closes. */
    @Override
    public void run() {
        try {
            drain();
            Subscriber s = subscriber;
            if (s != null && s.finished()) {
                // The shutdown frame is on the wire, after everything the connection was sent.
                closeNow(SHUTDOWN);
            }
        } catch (IOException | RuntimeException e) {
            writeFailed(e);
        } finally {
            scheduled.set(false);
        }
        if (hasPending()) {
            wake();
        }
    }

    private void drain() throws IOException {
        for (int n = 0; n < BATCH; n++) {
            String frame = null;
            Event event = null;
            boolean ping = false;
            CloseReason close = null;
            synchronized (this) {
                if (closing) {
                    return;
                }
                if (pingDue && !released.get()) {
                    pingDue = false;
                    ping = true;
                } else if (!own.isEmpty()) {
                    frame = own.pollFirst();
                } else if (closeAfterOwn != null) {
                    close = closeAfterOwn;
                    closing = true;
                } else {
                    Frame next = nextEventFrame();
                    if (next == null) {
                        return;
                    }
                    frame = next.text();
                    event = next.event();
                }
            }
            if (close != null) {
                closeSocket(close);
                return;
            }
            writing = true;
            try {
                if (ping) {
                    // A fresh buffer each time: Liberty's writer needs a writable, array-backed one.
                    remote.sendPing(ByteBuffer.wrap(new byte[] {'r'}));
                } else {
                    remote.sendText(frame);
                }
            } finally {
                writing = false;
            }
            if (event != null) {
                traffic.delivered(Transport.WEBSOCKET, event, subscriber.isLive(event));
            }
        }
    }

    private synchronized boolean hasPending() {
        if (closing) {
            return false;
        }
        Subscriber s = subscriber;
        return pingDue && !released.get() || !own.isEmpty() || closeAfterOwn != null || s != null && s.hasPending();
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
        boolean presenceChange = e.type().equals(ChatRooms.JOIN) || e.type().equals(ChatRooms.LEAVE);
        return position <= historyShownUpTo || presenceChange && position <= presenceShownUpTo;
    }

    private void writeFailed(Throwable e) {
        LOG.log(Level.FINE, "Chat write failed; the client is gone", e);
        closeNow(BROKEN);
    }

    // --- ending ---

    /**
     * Leaves at once and closes the socket without flushing: it is stalled, silent or broken, or
     * said its goodbye, or the drain's grace ran out.
     */
    void closeNow(Ending ending) {
        release(ending.reason());
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        closeSocket(ending.close());
    }

    /** Leaves at once and closes the socket once the frames of its own already queued are sent. */
    private void closeAfterOwn(Ending ending) {
        release(ending.reason());
        synchronized (this) {
            if (closeAfterOwn == null) {
                closeAfterOwn = ending.close();
            }
        }
        wake();
    }

    /**
     * Leaves the room, ends the subscription and gives the permit back, once, for {@code reason};
     * called for every way a connection ends, including the container telling us the socket
     * closed. The first reason given is the one counted.
     */
    void release(Subscriber.CloseReason reason) {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        Subscriber s = subscriber;
        if (s != null) {
            s.close(reason);
        }
        permit.release(reason);
        onRelease.accept(this);
    }

    /**
     * Closing blocks: Liberty's close waits for the read it cancels to call back, and up to seconds
     * for a write stuck on the wire, and those callbacks need a thread of Liberty's pool. Run on that
     * pool, a burst of closes (a partition ending, a crowd leaving) takes every thread and waits for
     * itself. So closes run on the closer's own few threads, and the connection has left already.
     */
    private void closeSocket(CloseReason reason) {
        if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "Closing chat connection {0}: {1}", new Object[] {session.getId(), reason});
        }
        try {
            closer.execute(() -> {
                try {
                    session.close(reason);
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "Closing a chat connection failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            // the node is stopping; the container closes what is left
        }
    }
}
