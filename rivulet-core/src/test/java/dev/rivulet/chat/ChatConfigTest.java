package dev.rivulet.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatConfigTest {

    /** A configuration read from the defaults the @ConfigProperty annotations declare. */
    private static ChatConfig defaults() {
        ChatConfig c = new ChatConfig();
        c.anonymousValue = "true";
        c.historyValue = "50";
        c.maxMessageBytesValue = "65536";
        c.maxMessagesPerSecondValue = "20";
        c.pingIntervalValue = "PT25S";
        c.idleTimeoutValue = "PT60S";
        c.presenceIntervalValue = "PT0.25S";
        c.sendTimeoutValue = "PT10S";
        c.presenceTtlValue = "PT30S";
        return c;
    }

    @Test
    void theDefaultsServeALaptop() {
        ChatConfig c = defaults();
        c.read();
        assertTrue(c.anonymous());
        assertEquals(50, c.history());
        assertEquals(64 * 1024, c.maxMessageBytes());
        assertEquals(20, c.maxMessagesPerSecond());
        assertEquals(Duration.ofSeconds(25), c.pingInterval());
        assertEquals(Duration.ofSeconds(60), c.idleTimeout());
        assertEquals(Duration.ofMillis(250), c.presenceInterval());
        assertEquals(Duration.ofSeconds(10), c.sendTimeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sendTimeoutValue | PT0.1S | 100",
            "sendTimeoutValue | PT10M | 600000",
            "presenceIntervalValue | PT0.01S | 10",
            "presenceIntervalValue | PT10S | 10000",
            "presenceTtlValue | PT1S | 1000",
            "presenceTtlValue | PT1H | 3600000",
    })
    void aDurationMayBeSetToTheEdgesOfItsRange(String field, String value, long millis) throws Exception {
        ChatConfig c = defaults();
        ChatConfig.class.getDeclaredField(field).set(c, value);
        c.read();
        Duration read = switch (field) {
            case "sendTimeoutValue" -> c.sendTimeout();
            case "presenceTtlValue" -> c.presenceTtl();
            default -> c.presenceInterval();
        };
        assertEquals(Duration.ofMillis(millis), read);
    }

    @Test
    void anonymousChatCanBeTurnedOffInAnyCase() {
        ChatConfig c = defaults();
        c.anonymousValue = " FALSE ";
        c.read();
        assertFalse(c.anonymous());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rivulet.chat.anonymous | anonymousValue | yes",
            "rivulet.chat.history | historyValue | 1001",
            "rivulet.chat.history | historyValue | -1",
            "rivulet.chat.max-message-bytes | maxMessageBytesValue | 127",
            "rivulet.chat.max-message-bytes | maxMessageBytesValue | 64KiB",
            "rivulet.chat.max-messages-per-second | maxMessagesPerSecondValue | 0",
            "rivulet.chat.ping-interval | pingIntervalValue | PT0.1S",
            "rivulet.chat.ping-interval | pingIntervalValue | 25",
            "rivulet.chat.idle-timeout | idleTimeoutValue | PT2H",
            "rivulet.chat.presence-interval | presenceIntervalValue | PT0.009S",
            "rivulet.chat.presence-interval | presenceIntervalValue | PT11S",
            "rivulet.chat.send-timeout | sendTimeoutValue | PT0.09S",
            "rivulet.chat.send-timeout | sendTimeoutValue | PT11M",
            "rivulet.chat.presence-ttl | presenceTtlValue | PT0.9S",
            "rivulet.chat.presence-ttl | presenceTtlValue | PT61M",
    })
    void aValueOutOfRangeStopsStartupNamingTheKey(String key, String field, String value) throws Exception {
        ChatConfig c = defaults();
        ChatConfig.class.getDeclaredField(field).set(c, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::read);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void theIdleTimeoutMustBeLongerThanThePingInterval() {
        ChatConfig c = defaults();
        c.idleTimeoutValue = "PT25S";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::read);
        assertTrue(e.getMessage().contains("rivulet.chat.idle-timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("rivulet.chat.ping-interval"), e.getMessage());

        c.idleTimeoutValue = "PT25.001S";
        c.read();
        assertEquals(Duration.ofMillis(25_001), c.idleTimeout());
    }
}
