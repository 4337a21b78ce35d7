package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatIdentityTest {

    @Test
    void theNameParameterNamesAnAnonymousUser() {
        ChatIdentity id = ChatIdentity.resolve(Map.of("name", List.of("alice")), Grant.ANONYMOUS, true);
        assertEquals(new ChatIdentity("alice", true), id);
    }

    @Test
    void noNameMeansGuest() {
        assertEquals("guest", ChatIdentity.resolve(Map.of(), Grant.ANONYMOUS, true).name());
        assertEquals("guest", ChatIdentity.resolve(Map.of("name", List.of("")), Grant.ANONYMOUS, true).name());
    }

    @Test
    void anonymousChatCanBeTurnedOff() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ChatIdentity.resolve(Map.of("name", List.of("alice")), Grant.ANONYMOUS, false));
        assertEquals("unauthorized", e.problem());
    }

    @Test
    void aTokensSubjectIsTheNameWhateverTheQuerySays() {
        Grant alice = new Grant("alice", List.of(), List.of(), true);
        assertEquals(new ChatIdentity("alice", false),
                ChatIdentity.resolve(Map.of("name", List.of("mallory")), alice, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "Ana Maria", "jean-luc", "o_o", "v1.2", "Zoë", "山田", "abcdefghijklmnopqrstuvwxyz012345"})
    void namesThatAreAllowed(String name) {
        assertEquals(name, ChatIdentity.checkName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {" alice", "alice ", "ana  maria", "<b>", "a\"b", "tab\there", "new\nline", "a/b",
            "emoji\uD83D\uDE00"})
    void namesThatAreRefused(String name) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ChatIdentity.checkName(name));
        assertEquals("invalid-name", e.problem());
    }

    @Test
    void aNameIsAtMost32Characters() {
        assertEquals("invalid-name", assertThrows(InvalidInputException.class,
                () -> ChatIdentity.checkName("a".repeat(33))).problem());
        // Counted in characters, not UTF-16 units: 32 CJK ideographs from beyond the BMP are fine.
        String wide = "\uD840\uDC00".repeat(32);
        assertEquals(wide, ChatIdentity.checkName(wide));
    }
}
