package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.EventMeta;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Outbound;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MercureEncoderTest {

    private static String frame(Outbound o) {
        return new String(new MercureEncoder().encode(o), StandardCharsets.UTF_8);
    }

    private static Event mercure(String id, String type, String data, long retry) {
        return new Event(Cursor.of(42), "t", type, JsonText.quote(data), Instant.EPOCH, false,
                new EventMeta(id, List.of(), retry, true));
    }

    @Test
    void anEventCarriesItsIdVerbatimAndNoEventLineForTheDefaultType() {
        assertEquals("id: urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022\ndata: hello\n\n",
                frame(mercure("urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022", "message", "hello", 0)));
    }

    @Test
    void typeAndRetryAreFramedWhenGiven() {
        assertEquals("id: a\nevent: book\nretry: 3000\ndata: x\n\n", frame(mercure("a", "book", "x", 3000)));
    }

    @Test
    void everyLineOfDataIsADataLineWithBlankLinesAndLeadingSpacesKept() {
        assertEquals("id: a\ndata: first\ndata: \ndata:   indented\ndata: \ndata: last\n\n",
                frame(mercure("a", "message", "first\n\n  indented\r\n\rlast", 0)));
    }

    @Test
    void noDataIsOneEmptyDataLine() {
        assertEquals("id: a\ndata: \n\n", frame(mercure("a", "message", "", 0)));
    }

    @Test
    void aNativeEventIsItsJsonWithTheHubsId() {
        Event e = new Event(Cursor.of(42), "t", "greeting", "{\"text\":\"hi\"}", Instant.EPOCH, false);
        assertEquals("id: " + MercureId.of(Cursor.of(42)) + "\nevent: greeting\ndata: {\"text\":\"hi\"}\n\n", frame(e));
    }

    @Test
    void controlEventsAreNotMercureButTheDrainSetsTheRetry() {
        assertEquals("", frame(ControlEvent.gap(Cursor.of(1), "expired")));
        assertEquals("", frame(ControlEvent.lagged(3)));
        assertEquals("retry: 2345\n\n", frame(ControlEvent.shutdown(2345)));
    }

    @Test
    void theStreamOpensWithTheIdOfItsStartingCursor() {
        assertEquals("id: " + MercureId.of(Cursor.of(7)) + "\n\n",
                new String(new MercureEncoder().opening(Cursor.of(7)), StandardCharsets.UTF_8));
    }
}
