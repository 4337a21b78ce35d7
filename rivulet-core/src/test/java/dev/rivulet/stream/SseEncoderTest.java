package dev.rivulet.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.hub.ControlEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseEncoderTest {

    private static String frame(ControlEvent c) {
        return new String(new SseEncoder().encode(c), StandardCharsets.UTF_8);
    }

    @Test
    void theShutdownNoticeSetsTheBrowsersReconnectDelay() {
        assertEquals("retry: 2345\nevent: shutdown\ndata: {\"retry_ms\":2345}\n\n", frame(ControlEvent.shutdown(2345)));
    }

    @Test
    void otherControlEventsCarryNoRetryAndNoId() {
        assertEquals("event: lagged\ndata: {\"missed\":3}\n\n", frame(ControlEvent.lagged(3)));
    }
}
