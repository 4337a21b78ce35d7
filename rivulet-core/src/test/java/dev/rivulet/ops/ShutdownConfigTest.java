package dev.rivulet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShutdownConfigTest {

    private static ShutdownConfig configured(String grace, String retryMin, String retryMax, String token) {
        ShutdownConfig c = new ShutdownConfig();
        c.graceValue = grace;
        c.retryMinValue = retryMin;
        c.retryMaxValue = retryMax;
        c.drainTokenValue = Optional.ofNullable(token);
        c.read();
        return c;
    }

    @Test
    void theDefaultsDrainWithinTenSecondsAndLeaveTheEndpointOff() {
        ShutdownConfig c = configured("PT10S", "PT1S", "PT5S", null);
        assertEquals(Duration.ofSeconds(10), c.grace());
        assertEquals(Duration.ofSeconds(1), c.retryMin());
        assertEquals(Duration.ofSeconds(5), c.retryMax());
        assertNull(c.drainToken());
    }

    @Test
    void anInvalidGraceNamesItsKeyAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured("10", "PT1S", "PT5S", null));
        assertTrue(e.getMessage().contains("rivulet.shutdown.grace must be an ISO-8601 duration from PT1S to PT10M"),
                e.getMessage());
    }

    @Test
    void theLongestHintMayNotBeShorterThanTheShortest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured("PT10S", "PT5S", "PT2S", null));
        assertTrue(e.getMessage().contains("rivulet.shutdown.retry-max must be an ISO-8601 duration from PT5S"),
                e.getMessage());
    }

    @Test
    void aShortTokenIsRefusedWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured("PT10S", "PT1S", "PT5S", "hunter2"));
        assertTrue(e.getMessage().contains("rivulet.shutdown.drain-token must be at least 16 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertEquals("0123456789abcdef", configured("PT10S", "PT1S", "PT5S", " 0123456789abcdef ").drainToken());
    }
}
