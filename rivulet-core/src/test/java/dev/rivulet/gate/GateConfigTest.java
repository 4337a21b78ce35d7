package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateConfigTest {

    private static GateConfig configured(String max, String perClient, String retryAfter, String rate, String burst) {
        GateConfig c = new GateConfig();
        c.connectionsMaxValue = max;
        c.connectionsMaxPerClientValue = perClient;
        c.connectionsRetryAfterValue = retryAfter;
        c.publishRateValue = rate;
        c.publishBurstValue = burst;
        c.read();
        return c;
    }

    @Test
    void theDefaultsLimitConnectionsPerNodeOnly() {
        GateConfig c = configured("10000", "0", "PT5S", "0", "100");
        assertEquals(10_000, c.connectionsMax());
        assertEquals(0, c.connectionsMaxPerClient());
        assertEquals(Duration.ofSeconds(5), c.connectionsRetryAfter());
        assertEquals(0, c.publishRate());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0, PT5S, 0, 100, rivulet.connections.max must be a whole number from 1 to 10000000",
        "10, -1, PT5S, 0, 100, rivulet.connections.max-per-client must be a whole number from 0 to 10000000",
        "10, 0, 5s, 0, 100, rivulet.connections.retry-after must be an ISO-8601 duration from PT1S to PT1H",
        "10, 0, PT5S, fast, 100, rivulet.publish.rate must be a whole number from 0 to 10000000",
        "10, 0, PT5S, 10, 0, rivulet.publish.burst must be a whole number from 1 to 10000000",
    })
    void anInvalidValueNamesItsKeyAndRange(String max, String perClient, String retryAfter, String rate, String burst,
                                           String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured(max, perClient, retryAfter, rate, burst));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
