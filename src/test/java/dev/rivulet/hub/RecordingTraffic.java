package dev.rivulet.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Traffic} that counts what it is told, by a readable key, for tests. */
public final class RecordingTraffic implements Traffic {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final List<Boolean> liveFlags = new ArrayList<>();

    /** The count under {@code key}, e.g. {@code published}, {@code closed:sse:slow}, {@code rejected:publish-rate}. */
    public long count(String key) {
        AtomicLong n = counts.get(key);
        return n == null ? 0 : n.get();
    }

    public synchronized List<Boolean> liveFlags() {
        return List.copyOf(liveFlags);
    }

    private void add(String key, long n) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    @Override
    public void published(Event event) {
        add("published", 1);
    }

    @Override
    public synchronized void delivered(Transport transport, Event event, boolean live) {
        add("delivered:" + transport.label(), 1);
        liveFlags.add(live);
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
