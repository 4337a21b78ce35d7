package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrameCacheTest {

    private final FrameCache cache = new FrameCache();

    private static Event message(long id, String text) {
        return new Event(Cursor.of(id), "chat/lobby", "message", "{\"user\":\"a\",\"text\":\"" + text + "\"}",
                Instant.EPOCH, false);
    }

    @Test
    void theMembersOfARoomShareOneEncodingOfAnEvent() {
        Event e = message(7, "hi");
        String first = cache.frame(e, "lobby");
        assertSame(first, cache.frame(e, "lobby"));
        assertEquals(ChatFrames.of(e, "lobby"), first);
    }

    @Test
    void anEventInTheSameSlotReplacesTheOneBefore() {
        Event a = message(1, "a");
        Event b = message(1 + FrameCache.SLOTS, "b");
        String frameA = cache.frame(a, "lobby");
        assertEquals(ChatFrames.of(b, "lobby"), cache.frame(b, "lobby"));
        String again = cache.frame(a, "lobby");
        assertEquals(frameA, again);
        assertNotSame(frameA, again, "encoded anew once its slot was taken");
    }

    @Test
    void anEventChatClientsDoNotGetStaysNothing() {
        Event typing = new Event(Cursor.of(3), "chat/lobby", "typing", "{\"user\":\"a\"}", Instant.EPOCH, false);
        assertNull(cache.frame(typing, "lobby"));
        assertNull(cache.frame(typing, "lobby"));
    }
}
