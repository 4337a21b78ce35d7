package dev.rivulet.hub;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One client connection's view of the hub: its selectors, a bounded queue of live events, the
 * replayed history it must see first, its overflow policy and, if it asked for one, its pace.
 * Publishers call {@link #offer}, which never blocks; the connection takes what it holds with
 * {@link #poll} from its own thread.
 */
public final class Subscriber {

    /** Why a subscription (and the connection that carries it) ended. */
    public enum CloseReason {
        /** The client went away, or its connection failed. */
        CLIENT_GONE,
        /** Its queue overflowed under overflow policy {@code disconnect}. */
        SLOW,
        /** The node is shutting down. */
        SHUTDOWN,
        /** The connection broke a limit (for example a chat client sending too fast or too much). */
        LIMIT,
        /** Its credentials expired or were revoked. */
        AUTH,
        /** It sent everything it was asked for and ended (a log tail that reached its {@code limit}). */
        DONE,
        /** The server could not go on with it (the log store failed under a log tail). */
        ERROR;

        /**
         * The name in metrics: {@code client}, {@code slow}, {@code shutdown}, {@code limit}, {@code auth},
         * {@code done}, {@code error}.
         */
        public String label() {
            return this == CLIENT_GONE ? "client" : name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<TopicSelector> selectors;
    /** The topics whose private events this subscriber may see (see {@link Event#visibleTo}). */
    private final List<TopicSelector> privateAccess;
    private final int capacity;
    private final Overflow overflow;
    private final Runnable wake;
    private final Consumer<Subscriber> onClose;
    private final Traffic traffic;
    /** Null when the subscriber did not ask for a pace. */
    private final TokenBucket pace;

    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    /** The next event, taken from the replay or the queue but held back by the pace. */
    private Event held;
    /** The last thing this subscription hands out before it ends (the node is draining). */
    private ControlEvent farewell;
    private boolean farewellSent;
    /** Events with ids up to this came from history; later ones are live. */
    private volatile long liveAfter = Long.MAX_VALUE;
    private Iterator<Event> backlog = Collections.emptyIterator();
    private ControlEvent notice;
    private Cursor opening;
    private boolean resumedAfterGap;
    private boolean started;
    private long lastQueued = Long.MIN_VALUE;
    private long lastDelivered = Long.MIN_VALUE;
    private long missed;
    /** Live events pushed out of a full queue before the replay was known; see {@link #start}. */
    private long droppedBeforeStart;
    private long newestDroppedBeforeStart = Long.MIN_VALUE;
    private int peak;
    private volatile CloseReason closed;

    Subscriber(List<TopicSelector> selectors, int capacity, Overflow overflow, Runnable wake,
               Consumer<Subscriber> onClose) {
        this(selectors, List.of(), capacity, overflow, null, wake, onClose, Traffic.NONE);
    }

    Subscriber(List<TopicSelector> selectors, List<TopicSelector> privateAccess, int capacity, Overflow overflow,
               Pace pace, Runnable wake, Consumer<Subscriber> onClose, Traffic traffic) {
        this.selectors = List.copyOf(selectors);
        this.privateAccess = List.copyOf(privateAccess);
        this.capacity = capacity;
        this.overflow = overflow;
        this.pace = pace == null ? null : pace.bucket(System.nanoTime());
        this.wake = wake;
        this.onClose = onClose;
        this.traffic = traffic;
    }

    /**
     * Queues a live event. Never blocks: a full queue applies the overflow policy. Answers true
     * when the event was taken; false for a closed subscriber, an event it already has, a private
     * event it may not see, or one that closed it for being too slow.
     */
    boolean offer(Event event) {
        if (!event.visibleTo(privateAccess)) {
            return false;
        }
        boolean slow = false;
        synchronized (this) {
            long seq = event.id().position();
            if (closed != null || farewell != null || seq <= lastQueued) {
                return false;
            }
            lastQueued = seq;
            if (queue.size() >= capacity && !started) {
                // The replay being read may hold these already; start() decides whether any was lost.
                newestDroppedBeforeStart = queue.pollFirst().id().position();
                droppedBeforeStart++;
            } else if (queue.size() >= capacity) {
                if (overflow == Overflow.DISCONNECT) {
                    slow = true;
                } else {
                    queue.pollFirst();
                    missed++;
                    traffic.lagged(1);
                }
            }
            if (!slow) {
                queue.addLast(event);
                peak = Math.max(peak, queue.size());
            }
        }
        if (slow) {
            // The event that did not fit is lost to this subscriber too.
            traffic.discarded(CloseReason.SLOW, 1);
            close(CloseReason.SLOW);
            return false;
        }
        wake.run();
        return true;
    }

    /**
     * Begins the stream after {@code opening}: the gap notice (if any) first, then the replayed
     * events, then live events, each exactly once and in id order.
     */
    void start(Cursor opening, List<Event> replay, ControlEvent gap) {
        boolean slow = false;
        synchronized (this) {
            this.opening = opening;
            this.lastDelivered = opening.position();
            this.backlog = replay.iterator();
            this.notice = gap;
            this.resumedAfterGap = gap != null;
            this.started = true;
            long covered = replay.isEmpty() ? opening.position() : replay.get(replay.size() - 1).id().position();
            this.liveAfter = covered;
            if (newestDroppedBeforeStart > covered) {
                // Live events the replay does not hold were pushed out: the usual overflow applies.
                if (overflow == Overflow.DISCONNECT) {
                    slow = true;
                } else {
                    missed += droppedBeforeStart;
                    traffic.lagged(droppedBeforeStart);
                }
            }
        }
        if (slow) {
            close(CloseReason.SLOW);
            return;
        }
        wake.run();
    }

    /** What {@link #poll} hands out next, in the one order there is. */
    private enum Head {
        /** Nothing now. */
        NONE,
        /** The gap notice of the opening, before everything else. */
        NOTICE,
        /** An event, replayed history before live ones; it waits for the pace, if there is one. */
        EVENT,
        /** A {@code lagged} notice for the live events the queue let go; after history, before the live ones left. */
        LAGGED,
        /** The farewell of a shutdown, after everything else. */
        FAREWELL
    }

    /**
     * What comes next. The event (from history first, then the live queue) is taken into
     * {@link #held}, where it waits for {@link #poll} and the pace.
     */
    private Head head() {
        if (!started || closed != null) {
            return Head.NONE;
        }
        if (notice != null) {
            return Head.NOTICE;
        }
        if (held == null) {
            held = nextReplayed();
        }
        if (held == null && missed > 0) {
            return Head.LAGGED;
        }
        if (held == null) {
            held = nextQueued();
        }
        if (held != null) {
            return Head.EVENT;
        }
        return farewell != null && !farewellSent ? Head.FAREWELL : Head.NONE;
    }

    /**
     * The next thing to write, or null when there is nothing (yet), the pace holds the next event
     * back (see {@link #nanosUntilReady}), or the subscription ended. After a {@link #shutdown}, the
     * farewell comes last, and then {@link #finished} is true.
     */
    public synchronized Outbound poll() {
        switch (head()) {
            case NOTICE -> {
                ControlEvent n = notice;
                notice = null;
                return n;
            }
            case LAGGED -> {
                long m = missed;
                missed = 0;
                return ControlEvent.lagged(m);
            }
            case EVENT -> {
                // A draining node delivers what it accepted as fast as the client reads: no pace then.
                if (pace != null && farewell == null && !pace.tryTake(System.nanoTime())) {
                    return null;
                }
                Event e = held;
                held = null;
                return e;
            }
            case FAREWELL -> {
                farewellSent = true;
                return farewell;
            }
            default -> {
                return null;
            }
        }
    }

    private Event nextReplayed() {
        while (backlog.hasNext()) {
            Event e = backlog.next();
            if (e.id().position() > lastDelivered && e.visibleTo(privateAccess)) {
                lastDelivered = e.id().position();
                return e;
            }
        }
        backlog = Collections.emptyIterator();
        return null;
    }

    private Event nextQueued() {
        Event e;
        while ((e = queue.pollFirst()) != null) {
            if (e.id().position() > lastDelivered) {
                lastDelivered = e.id().position();
                return e;
            }
        }
        return null;
    }

    /** True when {@link #poll} has something to hand out now. */
    public synchronized boolean hasPending() {
        Head next = head();
        return next == Head.EVENT ? paceWait() == 0 : next != Head.NONE;
    }

    /**
     * How long the pace holds back the next event, in nanoseconds; 0 when nothing is held back.
     * A transport that finds nothing to {@link #poll} wakes again after this long.
     */
    public synchronized long nanosUntilReady() {
        return head() == Head.EVENT ? paceWait() : 0;
    }

    /** How long the pace holds back the next event; nothing while the node drains. */
    private long paceWait() {
        return pace == null || farewell != null ? 0 : pace.nanosUntilToken(System.nanoTime());
    }

    /**
     * Ends the subscription gracefully: everything already queued is handed out, then
     * {@code farewell}, then {@link #finished} turns true and the transport closes the connection
     * with {@link CloseReason#SHUTDOWN}. Events offered after this are refused.
     */
    public void shutdown(ControlEvent farewell) {
        synchronized (this) {
            if (closed != null || this.farewell != null) {
                return;
            }
            this.farewell = farewell;
        }
        wake.run();
    }

    /** True once the farewell has been handed out: the transport writes it, then closes. */
    public synchronized boolean finished() {
        return farewellSent;
    }

    /** True for an event that reached this subscriber live, false for one replayed from history. */
    public boolean isLive(Event event) {
        return event.id().position() > liveAfter;
    }

    /** Ends the subscription: its queue is released and the hub forgets it. Idempotent. */
    public void close(CloseReason reason) {
        long discarded;
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = reason;
            discarded = queue.size() + (held == null ? 0 : 1);
            queue.clear();
            held = null;
            backlog = Collections.emptyIterator();
        }
        if (discarded > 0) {
            traffic.discarded(reason, discarded);
        }
        onClose.accept(this);
        wake.run();
    }

    public boolean isClosed() {
        return closed != null;
    }

    /** Why the subscription ended, or null while it is open. */
    public CloseReason closeReason() {
        return closed;
    }

    /** The cursor the stream starts after; a client that has seen nothing yet resumes from it. */
    public synchronized Cursor opening() {
        return opening;
    }

    public List<TopicSelector> selectors() {
        return selectors;
    }

    public boolean matches(String topic) {
        return TopicSelector.anyMatches(selectors, topic);
    }

    /** True when a selector matches the event's topic or one of its alternate topics. */
    public boolean matches(Event event) {
        return event.matchedBy(selectors);
    }

    /**
     * True when the subscription resumed from a client's id that history no longer reaches, or
     * that was not one of ours: it began with a gap notice.
     */
    public synchronized boolean resumedAfterGap() {
        return resumedAfterGap;
    }

    public synchronized int depth() {
        return queue.size();
    }

    /** The most events this subscriber's queue has held at once. */
    public synchronized int peak() {
        return peak;
    }

    public int capacity() {
        return capacity;
    }
}
