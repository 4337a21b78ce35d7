package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoomPresenceTest {

    private final RoomPresence room = new RoomPresence();

    @Test
    void aFreeNameIsKeptAsItIs() {
        assertEquals("alice", room.admit("alice"));
        assertEquals("bob", room.admit("bob"));
        assertEquals(List.of("alice", "bob"), room.names());
    }

    @Test
    void aTakenNameGetsTheFirstFreeNumber() {
        assertEquals("alice", room.admit("alice"));
        assertEquals("alice-2", room.admit("alice"));
        assertEquals("alice-3", room.admit("alice"));
        room.remove("alice-2");
        assertEquals("alice-2", room.admit("alice"));
    }

    @Test
    void namesAreUniqueWithoutRegardToCase() {
        room.admit("alice");
        assertEquals("Alice-2", room.admit("Alice"));
        assertTrue(room.remove("ALICE"));
        assertEquals("ALICE", room.admit("ALICE"));
    }

    @Test
    void aNumberedNameSomeoneChoseIsSkipped() {
        room.admit("alice");
        room.admit("alice-2");
        assertEquals("alice-3", room.admit("alice"));
    }

    @Test
    void aLongNameIsShortenedToMakeRoomForItsNumber() {
        String longest = "a".repeat(ChatIdentity.NAME_MAX_LENGTH);
        room.admit(longest);
        String second = room.admit(longest);
        assertEquals("a".repeat(ChatIdentity.NAME_MAX_LENGTH - 2) + "-2", second);
        assertEquals(ChatIdentity.NAME_MAX_LENGTH, second.length());
        assertEquals(second, ChatIdentity.checkName(second));
    }

    @Test
    void shorteningKeepsWholeCharactersAndDropsATrailingSpace() {
        String wide = "a".repeat(29) + "\uD840\uDC00" + "bb"; // 32 characters; the 30th needs two UTF-16 units
        room.admit(wide);
        assertEquals("a".repeat(29) + "\uD840\uDC00" + "-2", room.admit(wide));

        String spaced = "a".repeat(29) + " bc"; // shortened to 30 characters it would end in a space
        room.admit(spaced);
        assertEquals("a".repeat(29) + "-2", room.admit(spaced));
    }

    @Test
    void removingAnAbsentNameChangesNothing() {
        room.admit("alice");
        assertFalse(room.remove("bob"));
        assertEquals(List.of("alice"), room.names());
        assertTrue(room.remove("alice"));
        assertTrue(room.isEmpty());
    }
}
