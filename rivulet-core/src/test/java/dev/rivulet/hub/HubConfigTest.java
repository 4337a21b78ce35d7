package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HubConfigTest {

    private static HubConfig configured(String queueSize, String overflow, String historyMaxEvents) {
        HubConfig c = new HubConfig();
        c.queueSizeValue = queueSize;
        c.overflowValue = overflow;
        c.historyMaxEventsValue = historyMaxEvents;
        c.historyMaxAgeValue = "PT1H";
        c.publishMaxBytesValue = "1048576";
        c.read();
        return c;
    }

    @Test
    void theDefaultsLetADisconnectedClientCatchUpFromHistory() {
        HubConfig c = configured("512", "disconnect", "1000");
        assertTrue(c.queueSize() < c.historyMaxEvents());
        assertEquals(Duration.ofHours(1), c.historyMaxAge());
    }

    @Test
    void aQueueAsLongAsHistoryIsRefusedUnderDisconnectNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured("1000", "disconnect", "1000"));
        assertTrue(e.getMessage().contains("rivulet.subscriber.queue-size"), e.getMessage());
        assertDoesNotThrow(() -> configured("999", "disconnect", "1000"));
    }

    @Test
    void dropOldestAndNoHistoryDoNotNeedTheQueueSmallerThanHistory() {
        assertDoesNotThrow(() -> configured("4096", "drop-oldest", "1000"));
        assertDoesNotThrow(() -> configured("4096", "disconnect", "0"));
    }

    @Test
    void anOutOfRangeValueIsRefusedWithItsKeyAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured("0", "disconnect", "1000"));
        assertTrue(e.getMessage().contains("rivulet.subscriber.queue-size must be a whole number from 1 to 1000000"),
                e.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> configured("10", "sometimes", "1000"));
        assertTrue(o.getMessage().contains("rivulet.subscriber.overflow must be disconnect or drop-oldest"), o.getMessage());
    }
}
