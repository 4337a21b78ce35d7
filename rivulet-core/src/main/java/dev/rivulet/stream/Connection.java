package dev.rivulet.stream;

import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Transport;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection's outbound side, the same for every transport (SSE and NDJSON streams, log
 * exports and tails, chat members). Only its writer writes to the client: a virtual thread of its
 * own that writes what its {@link Feed} has, a batch at a time with one flush, and parks when there
 * is nothing. A publisher only queues and calls {@link #wake}, which costs a volatile read while the
 * writer is busy and one unpark when it is parked. A client that stops reading blocks its writer in
 * a plain blocking write; on JDK 24+ that writer leaves its carrier thread, so a stalled client
 * holds its queue, its socket buffer and one parked virtual thread, never a platform thread.
 *
 * <p>The connection ends once, from its writer, after its last write returned or failed: the feed
 * ends the wire (the response completes, the socket closes), then the gate's permit goes back with
 * the reason, then the registry forgets it. Anyone may {@link #close} it; the first reason counts.
 */
public final class Connection {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    /** What a transport does on a connection: its framing, and where its frames come from. */
    public interface Feed {

        /** Writes what is ready now, at most one batch, and flushes it. Runs on the writer only. */
        Turn write() throws IOException;

        /** Writes and flushes a keep-alive on a connection that has been silent. Runs on the writer only. */
        default void keepAlive() throws IOException {
        }

        /**
         * How long until the feed may write something though nothing wakes it (a paced stream's
         * next event); 0 when it waits to be woken.
         */
        default long nanosUntilReady() {
            return 0;
        }

        /** The node drains: write what was sent, then {@code farewell}, then {@link Connection#close}. */
        default void leave(ControlEvent farewell) {
        }

        /**
         * The connection is closing for {@code reason}, called on the closing thread: release what
         * is held for the client now (the subscription and its queue), whatever the writer is doing.
         * Must be idempotent: a connection closed while it starts may call it twice.
         */
        default void closing(CloseReason reason) {
        }

        /** Ends the wire once the writer is done with it: completes the response, closes the socket. */
        void end(CloseReason reason);
    }

    /** What one {@link Feed#write} did. */
    public enum Turn {
        /** Nothing was ready. */
        IDLE,
        /** It wrote everything that was ready. */
        WROTE,
        /** It wrote a full batch; more may be ready. */
        FULL
    }

    /** Writers' thread names, one per transport ("rivulet-sse-writer"), shared by all its threads. */
    private static final String[] WRITER_NAMES = new String[Transport.values().length];

    static {
        for (Transport t : Transport.values()) {
            WRITER_NAMES[t.ordinal()] = "rivulet-" + t.label() + "-writer";
        }
    }

    private final Transport transport;
    private final Permit permit;
    /** When the client's token expires; null for never. */
    private final Instant expires;
    /** Silent sweeps before a keep-alive; 0 for none. */
    private final int keepAliveSweeps;
    private final Consumer<Connection> onEnd;
    private final AtomicReference<CloseReason> closing = new AtomicReference<>();

    private volatile Feed feed;
    private volatile Thread writer;
    /** Set for a connection whose writer starts at its first wake (see {@link #startOnWake}). */
    private volatile boolean startsOnWake;
    private final AtomicReference<Thread> started = new AtomicReference<>();
    /** Set by {@link #wake}, cleared by the writer before it looks for work: a wake is never lost. */
    private volatile boolean signalled;
    private volatile boolean parked;
    private volatile boolean keepAliveDue;
    private volatile boolean wroteSinceSweep;
    /** Touched by the sweeper only. */
    private int silentSweeps;

    Connection(Transport transport, Permit permit, Instant expires, int keepAliveSweeps, Consumer<Connection> onEnd) {
        this.transport = transport;
        this.permit = permit;
        this.expires = expires;
        this.keepAliveSweeps = keepAliveSweeps;
        this.onEnd = onEnd;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Starts the writer; until then {@link #wake} only leaves a signal for it. A connection closed
     * before it starts ends at once, and its feed hears of it.
     */
    void start(Feed feed) {
        this.feed = feed;
        CloseReason early = closing.get();
        if (early != null) {
            feed.closing(early);
        }
        startWriter();
    }

    /**
     * Like {@link #start}, but the writer starts only at the first {@link #wake} (or close): a
     * connection that waits for one answer (a long poll) holds no thread, not even a parked
     * virtual one, until it has something to write.
     */
    void startOnWake(Feed feed) {
        this.feed = feed;
        startsOnWake = true;
        CloseReason early = closing.get();
        if (early != null) {
            feed.closing(early);
        }
        if (signalled || early != null) {
            startWriter();
        }
    }

    private void startWriter() {
        Thread t = Thread.ofVirtual().name(WRITER_NAMES[transport.ordinal()]).unstarted(this::run);
        if (started.compareAndSet(null, t)) {
            writer = t;
            t.start();
        }
    }

    /** There may be something to write: unparks the writer if it is parked. Never blocks. */
    public void wake() {
        if (!signalled) {
            signalled = true;
            Thread t = writer;
            if (t != null) {
                LockSupport.unpark(t);
            } else if (startsOnWake) {
                startWriter();
            }
        }
    }

    /**
     * Ends the connection for {@code reason} (the first reason given is the one counted): the feed
     * lets go of the subscription at once, and the writer ends the wire when its current write has
     * returned or failed. Callable from any thread; idempotent.
     */
    public void close(CloseReason reason) {
        if (closing.compareAndSet(null, reason)) {
            Feed f = feed;
            if (f != null) {
                f.closing(reason);
            }
            wake();
        }
    }

    /** Why the connection is closing, once {@link #close} has been called; null while it is open. */
    public CloseReason closeReason() {
        return closing.get();
    }

    /**
     * True when the writer has nothing to do: it is parked with no wake pending (everything it had
     * is written), or it has ended.
     */
    public boolean idle() {
        Thread t = writer;
        return t != null && (!t.isAlive() || parked && !signalled);
    }

    /** The node drains: the connection writes what it was sent, then {@code farewell}, and ends. */
    void leave(ControlEvent farewell) {
        feed.leave(farewell);
        wake();
    }

    /**
     * Called by the registry's sweep: a connection whose token has expired ends, and one that wrote
     * nothing for {@code keepAliveSweeps} sweeps gets a keep-alive (its failed write finds a client
     * that has gone away).
     */
    void sweep(Instant now) {
        if (expires != null && now.isAfter(expires)) {
            close(CloseReason.AUTH);
            return;
        }
        if (keepAliveSweeps == 0) {
            return;
        }
        if (wroteSinceSweep) {
            wroteSinceSweep = false;
            silentSweeps = 0;
        } else if (++silentSweeps >= keepAliveSweeps) {
            silentSweeps = 0;
            keepAliveDue = true;
            wake();
        }
    }

    private void run() {
        CloseReason reason = null;
        try {
            writeUntilClosed();
        } catch (IOException | RuntimeException e) {
            // A failed write: the client went away, or stayed but took nothing past the write
            // deadline, which makes it a client too slow to keep up.
            if (LOG.isLoggable(Level.FINE)) {
                LOG.log(Level.FINE, "A " + transport.label() + " connection's write failed", e);
            }
            close(timedOut(e) ? CloseReason.SLOW : CloseReason.CLIENT_GONE);
        } finally {
            reason = closing.get();
            if (reason == null) {
                // An Error on the writer: the connection cannot go on.
                close(CloseReason.ERROR);
                reason = closing.get();
            }
            end(reason);
        }
    }

    private void writeUntilClosed() throws IOException {
        Feed f = feed;
        while (closing.get() == null) {
            signalled = false;
            Turn turn = f.write();
            if (turn != Turn.IDLE) {
                wroteSinceSweep = true;
                if (turn == Turn.FULL) {
                    // Virtual threads are not time-sliced: a busy connection lets the others write too.
                    Thread.yield();
                }
                continue;
            }
            if (closing.get() != null) {
                return;
            }
            if (keepAliveDue) {
                keepAliveDue = false;
                f.keepAlive();
                wroteSinceSweep = true;
                continue;
            }
            if (!signalled) {
                long wait = f.nanosUntilReady();
                parked = true;
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                } else {
                    LockSupport.park(this);
                }
                parked = false;
            }
        }
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void end(CloseReason reason) {
        try {
            feed.end(reason);
        } catch (RuntimeException e) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.log(Level.FINE, "Ending a " + transport.label() + " connection failed", e);
            }
        } finally {
            if (permit != null) {
                permit.release(reason);
            }
            onEnd.accept(this);
        }
    }
}
