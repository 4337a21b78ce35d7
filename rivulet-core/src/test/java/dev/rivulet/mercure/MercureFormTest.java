package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MercureFormTest {

    private static MercureForm parse(String body) {
        return MercureForm.parse(body.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void fieldsArePercentDecodedInOrderAndRepeatable() {
        MercureForm f = parse("topic=https%3A%2F%2Fexample.com%2Ffoo&data=the+content%0A%20x&topic=alt&private");
        assertEquals(List.of("https://example.com/foo", "alt"), f.all("topic"));
        assertEquals("the content\n x", f.one("data"));
        assertTrue(f.has("private"));
        assertEquals("", f.one("private"));
        assertFalse(f.has("id"));
        assertNull(f.one("id"));
    }

    @Test
    void utf8IsDecoded() {
        assertEquals("café", parse("data=caf%C3%A9").one("data"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"data=%", "data=%4", "data=%zz", "data=%C3", "data=%FF"})
    void brokenEscapesAndNonUtf8AreRefused(String body) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(body));
        assertEquals("invalid-form", e.problem());
    }

    @Test
    void aSingleFieldSentTwiceIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("id=a&id=b").one("id"));
        assertEquals("invalid-form", e.problem());
    }

    @Test
    void theNumberOfFieldsIsBounded() {
        String atLimit = "a=1&".repeat(MercureForm.MAX_FIELDS);
        assertEquals(MercureForm.MAX_FIELDS, parse(atLimit).all("a").size());
        assertThrows(InvalidInputException.class, () -> parse(atLimit + "a=1"));
    }
}
