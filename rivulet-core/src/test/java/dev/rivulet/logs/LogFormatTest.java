package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void ndjsonUnlessTheClientPrefersEventStreams() {
        assertEquals(LogFormat.NDJSON, LogFormat.forAccept(null));
        assertEquals(LogFormat.NDJSON, LogFormat.forAccept("*/*"));
        assertEquals(LogFormat.SSE, LogFormat.forAccept("text/event-stream"));
        assertEquals(LogFormat.NDJSON, LogFormat.forAccept("text/event-stream;q=0.5, application/x-ndjson"));
    }

    @Test
    void gzipWhenAcceptEncodingAllowsIt() {
        assertTrue(LogFormat.acceptsGzip("gzip, deflate, br"));
        assertTrue(LogFormat.acceptsGzip("*"));
        assertFalse(LogFormat.acceptsGzip("gzip;q=0, *"));
        assertFalse(LogFormat.acceptsGzip("identity"));
        assertFalse(LogFormat.acceptsGzip(null));
    }

    @Test
    void anSseEntryIsALogEventWhoseIdIsTheEntrysId() {
        String frame = new String(LogFormat.SSE.entry(7, "{\"id\":\"7\"}"), StandardCharsets.UTF_8);
        assertEquals("id: 7\nevent: log\ndata: {\"id\":\"7\"}\n\n", frame);
        assertEquals("{\"id\":\"7\"}\n", new String(LogFormat.NDJSON.entry(7, "{\"id\":\"7\"}"), StandardCharsets.UTF_8));
    }
}
