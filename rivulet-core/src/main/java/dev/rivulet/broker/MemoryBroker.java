package dev.rivulet.broker;

import dev.rivulet.hub.Broker;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Fanout;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Published;
import dev.rivulet.hub.Replay;
import dev.rivulet.hub.RetainedTopic;
import dev.rivulet.hub.TopicSelector;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker of a single node: ids, history and fan-out in this JVM.
 *
 * <p>Ids come from the clock (microseconds since the epoch, bumped by one where two events share a
 * microsecond), so they keep increasing across restarts and a client's old id is recognised as
 * older than anything this node retains. One lock orders publishing: id assignment, the history
 * append and the hand-over to the hub happen together, so every subscriber sees events in id order.
 * The hand-over only queues (it never waits for a client), so the lock is held briefly.
 *
 * <p>{@link Brokers} makes it the node's broker under {@code rivulet.broker=memory}, the default.
 */
public class MemoryBroker implements Broker {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TopicHistory> histories = new HashMap<>();
    /** Topics some of whose events carry alternate topics: a replay looks into them too. */
    private final Set<String> alternated = new HashSet<>();
    private InstantSource clock;
    private int maxEvents;
    private Duration maxAge;
    private long last;
    /** No event of this node has an id at or below it: history here begins after it. */
    private long horizon;
    private Fanout fanout = event -> 0;

    public MemoryBroker(HubConfig config) {
        this(config, InstantSource.system());
    }

    public MemoryBroker(HubConfig config, InstantSource clock) {
        this.clock = clock;
        this.maxEvents = config.historyMaxEvents();
        this.maxAge = config.historyMaxAge();
        this.last = micros(clock.instant());
        this.horizon = last;
    }

    @Override
    public void deliverTo(Fanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public Published publish(Draft draft) {
        lock.lock();
        try {
            Instant now = clock.instant();
            last = Math.max(last + 1, micros(now));
            Event event = new Event(Cursor.of(last), draft.topic(), draft.type(), draft.data(),
                    now.truncatedTo(ChronoUnit.MILLIS), draft.privateEvent(), draft.meta());
            histories.computeIfAbsent(draft.topic(), t -> new TopicHistory(horizon)).append(event, now);
            if (!draft.meta().alternates().isEmpty()) {
                alternated.add(draft.topic());
            }
            int delivered = fanout.deliver(event);
            return new Published(event, delivered);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Cursor latest() {
        lock.lock();
        try {
            return Cursor.of(last);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Replay replay(List<TopicSelector> selectors, Cursor since, int limit) {
        lock.lock();
        try {
            expire();
            long after = since == null ? Long.MIN_VALUE : since.position();
            boolean expired = false;
            List<Event> events = new ArrayList<>();
            // A selector with no retained topic behind it still reaches back only to the horizon.
            for (TopicSelector selector : selectors) {
                if (!selector.isExact() || !histories.containsKey(selector.text())) {
                    expired |= after < horizon;
                }
            }
            for (Map.Entry<String, TopicHistory> entry : histories.entrySet()) {
                if (TopicSelector.anyMatches(selectors, entry.getKey())) {
                    TopicHistory h = entry.getValue();
                    expired |= after < h.floor;
                    h.collectAfter(after, events);
                } else if (alternated.contains(entry.getKey())) {
                    List<Event> others = new ArrayList<>();
                    entry.getValue().collectAfter(after, others);
                    for (Event e : others) {
                        if (e.matchedBy(selectors)) {
                            events.add(e);
                        }
                    }
                }
            }
            if (since == null) {
                expired = false;
            }
            events.sort(Comparator.comparingLong(e -> e.id().position()));
            if (events.size() > limit) {
                events = events.subList(0, limit);
            }
            return new Replay(List.copyOf(events), expired);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<RetainedTopic> retained() {
        lock.lock();
        try {
            expire();
            List<RetainedTopic> topics = new ArrayList<>(histories.size());
            histories.forEach((topic, h) -> topics.add(new RetainedTopic(topic, h.events.peekLast().id(), h.events.size())));
            return topics;
        } finally {
            lock.unlock();
        }
    }

    /** The memory broker is this JVM; it is reachable while its publish lock can be had within a second. */
    @Override
    public boolean reachable() {
        try {
            if (lock.tryLock(1, TimeUnit.SECONDS)) {
                lock.unlock();
                return true;
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Drops events older than the history's age and forgets topics left with none. A forgotten
     * topic's floor moves the node's horizon, so a client whose id predates it still learns of the gap.
     */
    private void expire() {
        Instant oldest = clock.instant().minus(maxAge);
        Iterator<TopicHistory> it = histories.values().iterator();
        while (it.hasNext()) {
            TopicHistory h = it.next();
            h.expireBefore(oldest);
            if (h.events.isEmpty()) {
                horizon = Math.max(horizon, h.floor);
                it.remove();
                alternated.retainAll(histories.keySet());
            }
        }
    }


    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
    }

    /** One topic's retained events, oldest first, and the newest id it no longer holds. */
    private final class TopicHistory {
        private final ArrayDeque<Event> events = new ArrayDeque<>();
        private long floor;

        TopicHistory(long floor) {
            this.floor = floor;
        }

        void append(Event event, Instant now) {
            events.addLast(event);
            while (events.size() > maxEvents) {
                floor = events.pollFirst().id().position();
            }
            expireBefore(now.minus(maxAge));
        }

        void expireBefore(Instant oldest) {
            while (!events.isEmpty() && events.peekFirst().time().isBefore(oldest)) {
                floor = events.pollFirst().id().position();
            }
        }

        void collectAfter(long after, List<Event> out) {
            if (events.isEmpty() || events.peekLast().id().position() <= after) {
                return;
            }
            Iterator<Event> it = events.descendingIterator();
            int n = 0;
            while (it.hasNext() && it.next().id().position() > after) {
                n++;
            }
            Iterator<Event> from = events.iterator();
            for (int skip = events.size() - n; skip > 0; skip--) {
                from.next();
            }
            while (from.hasNext()) {
                out.add(from.next());
            }
        }
    }
}
