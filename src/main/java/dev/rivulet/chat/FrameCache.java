package dev.rivulet.chat;

import dev.rivulet.hub.Event;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Frames of recent events, so the members of a room, who all send the same events in the same
 * order, share one encoding of each instead of parsing its data once per member. A small direct-
 * mapped table by event position, without locks: a miss (a slow member, a collision) only costs an
 * encoding, and the table bounds the memory at {@code SLOTS} frames.
 */
final class FrameCache {

    static final int SLOTS = 64;

    /** An event's frame; {@code frame} is null for an event chat clients do not get. */
    private record Entry(long position, String frame) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(SLOTS);

    /** The frame of {@code event} in {@code room}, or null when it is nothing a chat client gets. */
    String frame(Event event, String room) {
        long position = event.id().position();
        int slot = (int) Math.floorMod(position, (long) SLOTS);
        Entry cached = slots.get(slot);
        if (cached != null && cached.position() == position) {
            return cached.frame();
        }
        String frame = ChatFrames.of(event, room);
        slots.set(slot, new Entry(position, frame));
        return frame;
    }
}
