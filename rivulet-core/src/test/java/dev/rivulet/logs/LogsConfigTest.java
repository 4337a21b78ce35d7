package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogsConfigTest {

    private static LogsConfig configured(String maxLineBytes, String batchSize, String rejectedMax, String fetchSize,
                                         long publishMaxBytes) {
        return configured(maxLineBytes, batchSize, "4194304", rejectedMax, fetchSize, publishMaxBytes);
    }

    private static LogsConfig configured(String maxLineBytes, String batchSize, String batchBytes, String rejectedMax,
                                         String fetchSize, long publishMaxBytes) {
        LogsConfig c = new LogsConfig();
        c.maxLineBytesValue = maxLineBytes;
        c.batchSizeValue = batchSize;
        c.batchBytesValue = batchBytes;
        c.rejectedMaxValue = rejectedMax;
        c.fetchSizeValue = fetchSize;
        c.hub = HubConfig.of(512, Overflow.DISCONNECT, 1000, Duration.ofHours(1), publishMaxBytes);
        c.read();
        return c;
    }

    private static String refusedKey(String maxLineBytes, String batchSize, String rejectedMax, String fetchSize) {
        return assertThrows(IllegalArgumentException.class,
                () -> configured(maxLineBytes, batchSize, rejectedMax, fetchSize, 1 << 20)).getMessage();
    }

    @Test
    void theDefaultsAreReadAsGiven() {
        LogsConfig c = configured("65536", "1000", "100", "1000", 1 << 20);
        assertEquals(65536, c.maxLineBytes());
        assertEquals(1000, c.batchSize());
        assertEquals(4 << 20, c.batchBytes());
        assertEquals(100, c.rejectedMax());
        assertEquals(1000, c.fetchSize());
    }

    @Test
    void aValueOutOfRangeStopsStartupNamingItsKey() {
        assertTrue(refusedKey("255", "1000", "100", "1000").contains("rivulet.logs.max-line-bytes"));
        assertTrue(refusedKey("65536", "0", "100", "1000").contains("rivulet.logs.batch-size"));
        assertTrue(refusedKey("65536", "1000", "-1", "1000").contains("rivulet.logs.rejected-max"));
        String batchBytes = assertThrows(IllegalArgumentException.class,
                () -> configured("65536", "1000", "1023", "100", "1000", 1 << 20)).getMessage();
        assertTrue(batchBytes.contains("rivulet.logs.batch-bytes"), batchBytes);
        assertTrue(refusedKey("65536", "1000", "100", "0").contains("rivulet.logs.fetch-size"));
    }

    @Test
    void aLineLimitTheHubCouldNotPublishIsRefused() {
        long publishMax = 1 << 20;
        long largest = (publishMax - 1024) / 2;
        assertDoesNotThrow(() -> configured(Long.toString(largest), "1000", "100", "1000", publishMax));
        String message = assertThrows(IllegalArgumentException.class,
                () -> configured(Long.toString(largest + 1), "1000", "100", "1000", publishMax)).getMessage();
        assertTrue(message.contains("rivulet.logs.max-line-bytes") && message.contains("rivulet.publish.max-bytes"), message);
    }
}
