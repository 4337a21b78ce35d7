package dev.rivulet.hub;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * One client connection's view of the hub: its selectors, a bounded queue of live events, the
 * replayed history it must see first, and its overflow policy. Publishers call {@link #offer},
 * which never blocks; the connection's transport drains with {@link #poll} from its own thread.
 */
public final class Subscriber {

    /** Why a subscription ended. */
    public enum CloseReason { CLIENT_GONE, SLOW, SHUTDOWN }

    private final List<TopicSelector> selectors;
    private final int capacity;
    private final Overflow overflow;
    private final Runnable wake;
    private final Consumer<Subscriber> onClose;

    private final ArrayDeque<Event> queue = new ArrayDeque<>();
    private Iterator<Event> backlog = Collections.emptyIterator();
    private ControlEvent notice;
    private Cursor opening;
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
        this.selectors = List.copyOf(selectors);
        this.capacity = capacity;
        this.overflow = overflow;
        this.wake = wake;
        this.onClose = onClose;
    }

    /**
     * Queues a live event. Never blocks: a full queue applies the overflow policy. Answers true
     * when the event was taken; false for a closed subscriber, an event it already has, or one that
     * closed it for being too slow.
     */
    boolean offer(Event event) {
        boolean slow = false;
        synchronized (this) {
            long seq = event.id().position();
            if (closed != null || seq <= lastQueued) {
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
                }
            }
            if (!slow) {
                queue.addLast(event);
                peak = Math.max(peak, queue.size());
            }
        }
        if (slow) {
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
            this.started = true;
            long covered = replay.isEmpty() ? opening.position() : replay.get(replay.size() - 1).id().position();
            if (newestDroppedBeforeStart > covered) {
                // Live events the replay does not hold were pushed out: the usual overflow applies.
                if (overflow == Overflow.DISCONNECT) {
                    slow = true;
                } else {
                    missed += droppedBeforeStart;
                }
            }
        }
        if (slow) {
            close(CloseReason.SLOW);
            return;
        }
        wake.run();
    }

    /** The next thing to write, or null when there is nothing (yet) or the subscription ended. */
    public synchronized Outbound poll() {
        if (!started || closed != null) {
            return null;
        }
        if (notice != null) {
            ControlEvent n = notice;
            notice = null;
            return n;
        }
        while (backlog.hasNext()) {
            Event e = backlog.next();
            if (e.id().position() > lastDelivered) {
                lastDelivered = e.id().position();
                return e;
            }
        }
        backlog = Collections.emptyIterator();
        if (missed > 0) {
            long m = missed;
            missed = 0;
            return ControlEvent.lagged(m);
        }
        Event e;
        while ((e = queue.pollFirst()) != null) {
            if (e.id().position() > lastDelivered) {
                lastDelivered = e.id().position();
                return e;
            }
        }
        return null;
    }

    /** True when {@link #poll} has something to hand out. */
    public synchronized boolean hasPending() {
        return started && closed == null
                && (notice != null || backlog.hasNext() || missed > 0 || !queue.isEmpty());
    }

    /** Ends the subscription: its queue is released and the hub forgets it. Idempotent. */
    public void close(CloseReason reason) {
        synchronized (this) {
            if (closed != null) {
                return;
            }
            closed = reason;
            queue.clear();
            backlog = Collections.emptyIterator();
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
        for (TopicSelector s : selectors) {
            if (s.matches(topic)) {
                return true;
            }
        }
        return false;
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
