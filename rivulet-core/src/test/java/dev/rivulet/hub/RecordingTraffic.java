package dev.rivulet.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Traffic} that counts what it is told, by a readable key, for tests. */
public final class RecordingTraffic implements Traffic {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    /** Each delivered batch's latency sample: its first live event, or null for a batch of replayed ones. */
    private final List<Event> latencySamples = new ArrayList<>();

    /** The count under {@code key}, e.g. {@code published}, {@code closed:sse:slow}, {@code rejected:publish-rate}. */
    public long count(String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    /** Each delivered batch's first live event, or null for a batch of replayed events only. */
    public synchronized List<Event> latencySamples() {
        return new ArrayList<>(latencySamples);
    }

    private void add(String key, long n) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    @Override
    public void published(Event event) {
        add("published", 1);
    }

    @Override
    public synchronized void delivered(Transport transport, int events, Event firstLive) {
        add("delivered:" + transport.label(), events);
        latencySamples.add(firstLive);
    }

    @Override
    public void lagged(long events) {
        add("dropped:lagged", events);
    }

    @Override
    public void discarded(Subscriber.CloseReason reason, long events) {
        add("dropped:" + reason.label(), events);
    }

    @Override
    public void closed(Transport transport, Subscriber.CloseReason reason) {
        add("closed:" + transport.label() + ":" + reason.label(), 1);
    }

    @Override
    public void resumed(boolean gap) {
        add(gap ? "resumed:gap" : "resumed:history", 1);
    }

    @Override
    public void rejected(String reason) {
        add("rejected:" + reason, 1);
    }
}
