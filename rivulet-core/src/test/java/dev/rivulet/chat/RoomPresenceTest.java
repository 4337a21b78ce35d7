package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    @Test
    void changesAreWhatJoinedAndLeftSinceTheLastAnnouncement() {
        assertNull(room.changes(), "nothing yet");
        room.admit("alice");
        room.admit("bob");
        assertEquals(new RoomPresence.Changes(List.of("alice", "bob"), List.of()), room.changes());
        room.announced(10, 0);
        assertNull(room.changes());
        room.admit("carol");
        room.remove("alice");
        assertEquals(new RoomPresence.Changes(List.of("carol"), List.of("alice")), room.changes());
    }

    @Test
    void aJoinAndLeaveWithinOneIntervalCancelOut() {
        room.admit("alice");
        room.announced(10, 0);
        room.admit("bob");
        room.remove("bob");
        assertNull(room.changes());
    }

    @Test
    void aNameThatChangesCaseIsALeaveAndAJoin() {
        room.admit("alice");
        room.announced(10, 0);
        room.remove("alice");
        room.admit("Alice");
        assertEquals(new RoomPresence.Changes(List.of("Alice"), List.of("alice")), room.changes());
    }

    @Test
    void aJoinerIsShownTheRoomAsLastAnnouncedAndItself() {
        room.admit("alice");
        room.admit("bob");
        room.announced(10, 0);
        room.remove("bob");
        room.admit("carol");
        String dave = room.admit("dave");
        // bob's leave and carol's join reach dave with the next announcement, after position 10.
        assertEquals(List.of("alice", "bob", "dave"), room.shownTo(dave));
        assertEquals(10, room.announcedAt());
    }
}
