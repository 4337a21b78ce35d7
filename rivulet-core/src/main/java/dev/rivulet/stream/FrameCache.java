package dev.rivulet.stream;

import dev.rivulet.hub.Event;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * One transport's wire encoding of recent events, shared by all its connections: the subscribers
 * of a topic send the same events, so an event is encoded once per transport, not once per
 * subscriber. A direct-mapped table by event position, without locks: a miss (a subscriber far
 * behind, a collision, two writers at once) only costs an encoding. An entry answers only for the
 * very event it was made from, so an event built outside the hub (a log entry, say) never gets
 * another's frame. Memory is bounded at {@code SLOTS} frames; large events are not kept, since
 * their encoding costs little beside their write.
 */
public final class FrameCache<F> {

    /** Deeper than a subscriber's default queue (512): a subscriber that keeps up always hits. */
    public static final int SLOTS = 1024;
    /** Events with more characters of data than this are encoded per connection. */
    static final int MAX_CACHED_DATA = 16 * 1024;

    /** An event's frame; the frame may be null (chat has none for some events). */
    private record Entry<F>(Event event, F frame) {
    }

    private final AtomicReferenceArray<Entry<F>> slots = new AtomicReferenceArray<>(SLOTS);

    /** The frame of {@code event}: the one made for it already, or {@code encode}'s. */
    public F frame(Event event, Function<? super Event, ? extends F> encode) {
        if (event.data().length() > MAX_CACHED_DATA) {
            return encode.apply(event);
        }
        int slot = (int) Math.floorMod(event.id().position(), (long) SLOTS);
        Entry<F> cached = slots.get(slot);
        if (cached != null && cached.event() == event) {
            return cached.frame();
        }
        F frame = encode.apply(event);
        slots.set(slot, new Entry<>(event, frame));
        return frame;
    }
}
