package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void aDecimalIdIsACursor() {
        assertEquals(Optional.of(Cursor.of(42)), Cursor.parse("42"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1", "99999999999999999999"})
    void textThatIsNoIdOfOursIsUnknownNotAnError(String text) {
        assertTrue(Cursor.parse(text).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1\r\nevent: evil", "1\n", "1\u0000", "\u0085", "1\uFFFD"})
    void anIdWithAControlCharacterIsInvalid(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Cursor.parse(text));
        assertEquals("invalid-id", e.problem());
    }
}
