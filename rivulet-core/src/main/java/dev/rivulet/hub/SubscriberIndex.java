package dev.rivulet.hub;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live subscriptions of one node, indexed for fan-out: by exact topic, and the pattern
 * selectors apart, which each event is matched against.
 */
final class SubscriberIndex {

    private final Map<String, Set<Subscriber>> byTopic = new ConcurrentHashMap<>();
    private final Set<Subscriber> byPattern = ConcurrentHashMap.newKeySet();
    private final Set<Subscriber> all = ConcurrentHashMap.newKeySet();
    /** The longest queue of the subscribers gone. */
    private final AtomicInteger departedPeak = new AtomicInteger();

    void add(Subscriber subscriber) {
        all.add(subscriber);
        for (TopicSelector s : subscriber.selectors()) {
            if (s.isExact()) {
                byTopic.compute(s.text(), (topic, set) -> {
                    Set<Subscriber> live = set == null ? ConcurrentHashMap.newKeySet() : set;
                    live.add(subscriber);
                    return live;
                });
            } else {
                byPattern.add(subscriber);
            }
        }
    }

    void remove(Subscriber subscriber) {
        if (!all.remove(subscriber)) {
            return;
        }
        for (TopicSelector s : subscriber.selectors()) {
            if (s.isExact()) {
                byTopic.computeIfPresent(s.text(), (topic, set) -> {
                    set.remove(subscriber);
                    return set.isEmpty() ? null : set;
                });
            }
        }
        byPattern.remove(subscriber);
        departedPeak.accumulateAndGet(subscriber.peak(), Math::max);
    }

    /** Ends every subscription, for {@code reason}. */
    void closeAll(Subscriber.CloseReason reason) {
        for (Subscriber s : all) {
            s.close(reason);
        }
    }

    /** Offers one event to every matching subscriber; answers how many took it. */
    int deliver(Event event) {
        int delivered = 0;
        delivered += deliverExact(event.topic(), event);
        for (String alternate : event.meta().alternates()) {
            // A subscriber that names both topics refuses the second offer: it has the event already.
            delivered += deliverExact(alternate, event);
        }
        for (Subscriber s : byPattern) {
            if (s.matches(event) && s.offer(event)) {
                delivered++;
            }
        }
        return delivered;
    }

    private int deliverExact(String topic, Event event) {
        int delivered = 0;
        Set<Subscriber> exact = byTopic.get(topic);
        if (exact != null) {
            for (Subscriber s : exact) {
                if (s.offer(event)) {
                    delivered++;
                }
            }
        }
        return delivered;
    }

    /** The topics some subscriber names exactly. */
    Set<String> exactTopics() {
        return byTopic.keySet();
    }

    /** Subscribers whose selectors cover {@code topic}. */
    int count(String topic) {
        Set<Subscriber> exact = byTopic.getOrDefault(topic, Set.of());
        int n = exact.size();
        for (Subscriber s : byPattern) {
            if (!exact.contains(s) && s.matches(topic)) {
                n++;
            }
        }
        return n;
    }

    int count() {
        return all.size();
    }

    /** The longest queue any live subscriber holds now. */
    int deepestQueue() {
        int deepest = 0;
        for (Subscriber s : all) {
            deepest = Math.max(deepest, s.depth());
        }
        return deepest;
    }

    /** The longest queue any subscriber has held, the ones gone included. */
    int queuePeak() {
        int peak = departedPeak.get();
        for (Subscriber s : all) {
            peak = Math.max(peak, s.peak());
        }
        return peak;
    }
}
