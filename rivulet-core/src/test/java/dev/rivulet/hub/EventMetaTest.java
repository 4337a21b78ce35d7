package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMetaTest {

    @Test
    void aNativeEventStoresNothingExtra() {
        assertEquals("", EventMeta.NONE.encode());
        assertSame(EventMeta.NONE, EventMeta.decode(""));
        assertSame(EventMeta.NONE, EventMeta.decode(null));
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        EventMeta meta = new EventMeta("https://example.com/ids/7?x=1&y=2", List.of("alt/1", "https://example.com/users/{id}"),
                2500, true);
        assertEquals(meta, EventMeta.decode(meta.encode()));
    }

    @Test
    void theHubsOwnIdIsStoredAsNone() {
        EventMeta meta = new EventMeta(null, List.of(), 0, true);
        EventMeta back = EventMeta.decode(meta.encode());
        assertEquals(meta, back);
        assertEquals(null, back.id());
        assertFalse(back.isNone(), "the text flag alone is kept");
    }

    @Test
    void aPrivateEventIsVisibleToAReaderCoveringAnAlternateTopic() {
        Event e = new Event(Cursor.of(1), "https://example.com/books/1", "message", "\"x\"", Instant.EPOCH, true,
                new EventMeta(null, List.of("https://example.com/users/foo/books/1"), 0, true));
        assertTrue(e.visibleTo(List.of(TopicSelector.parse("https://example.com/users/foo/{+rest}"))));
        assertFalse(e.visibleTo(List.of(TopicSelector.parse("https://example.com/users/bar/{+rest}"))));
        assertTrue(e.matchedBy(List.of(TopicSelector.parse("https://example.com/books/{id}"))));
    }
}
