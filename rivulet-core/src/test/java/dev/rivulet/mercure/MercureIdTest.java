package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.EventMeta;
import dev.rivulet.hub.InvalidInputException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MercureIdTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1795450765298296L, 0x3FFF_FFFF_FFFF_FFFFL})
    void theHubsIdCarriesItsCursorBack(long position) {
        String id = MercureId.of(Cursor.of(position));
        assertEquals(Optional.of(Cursor.of(position)), MercureId.cursorOf(id));
    }

    @Test
    void theHubsIdIsAVersion8UuidUrn() {
        String id = MercureId.of(Cursor.of(1795450765298296L));
        assertTrue(id.startsWith("urn:uuid:"), id);
        UUID uuid = UUID.fromString(id.substring("urn:uuid:".length()));
        assertEquals(8, uuid.version());
        assertEquals(2, uuid.variant(), "the RFC 9562 variant");
        assertEquals("urn:uuid:72697675-6c65-8074-8006-60f0d5a2b178", MercureId.of(Cursor.of(0x66_0f0d_5a2b178L)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022", "1795450765298296", "earliest",
            "urn:uuid:72697675-6c65-8074-8006-60F0D5A2B178", "urn:uuid:72697675-6c65-8074-c006-60f0d5a2b178", ""})
    void otherTextCarriesNoCursor(String id) {
        assertEquals(Optional.empty(), MercureId.cursorOf(id));
    }

    @Test
    void anEventShowsItsPublishersIdElseTheHubsOwn() {
        Event chosen = new Event(Cursor.of(5), "t", "message", "\"\"", Instant.EPOCH, false,
                new EventMeta("https://example.com/rev/9", List.of(), 0, true));
        Event generated = new Event(Cursor.of(5), "t", "message", "{}", Instant.EPOCH, false);
        assertEquals("https://example.com/rev/9", MercureId.of(chosen));
        assertEquals(MercureId.of(Cursor.of(5)), MercureId.of(generated));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#1", "earliest", "", "a\nb", "urn:uuid:72697675-6c65-8074-8000-000000000001",
            "urn:uuid:72697675-6c65-8074-zzzz"})
    void aPublisherMayNotChooseAReservedOrBrokenId(String id) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MercureId.checkChosen(id));
        assertEquals("invalid-id", e.problem());
    }

    @Test
    void anIdHasALengthLimit() {
        MercureId.checkChosen("x".repeat(MercureId.MAX_LENGTH));
        assertThrows(InvalidInputException.class, () -> MercureId.checkChosen("x".repeat(MercureId.MAX_LENGTH + 1)));
        MercureId.checkResume("x".repeat(MercureId.MAX_LENGTH));
        assertThrows(InvalidInputException.class, () -> MercureId.checkResume("x".repeat(MercureId.MAX_LENGTH + 1)));
    }
}
