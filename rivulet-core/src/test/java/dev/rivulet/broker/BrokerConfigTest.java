package dev.rivulet.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static BrokerConfig configured(String kind, String uri, String prefix, String timeout) {
        BrokerConfig c = new BrokerConfig();
        c.kindValue = kind;
        c.redisUriValue = uri;
        c.prefixValue = prefix;
        c.timeoutValue = timeout;
        c.read();
        return c;
    }

    private static void refused(String key, String kind, String uri, String prefix, String timeout) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> configured(kind, uri, prefix, timeout));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void theDefaultsAreOneNodeWithNothingOutsideIt() {
        BrokerConfig c = configured("memory", "redis://localhost:6379", "rivulet:", "PT2S");
        assertEquals(BrokerConfig.Kind.MEMORY, c.kind());
        assertEquals(Duration.ofSeconds(2), c.timeout());
    }

    @Test
    void redisTakesRedisAndRedissUrisWithPasswordAndDatabase() {
        assertEquals(BrokerConfig.Kind.REDIS, configured(" Redis ", "redis://:secret@host:6380/2", "rivulet:", "PT2S").kind());
        assertEquals("rediss://host:6380", configured("redis", "rediss://host:6380", "rivulet:", "PT2S").redisUri());
        refused("rivulet.redis.uri", "redis", "http://host:6379", "rivulet:", "PT2S");
        refused("rivulet.redis.uri", "redis", "not a uri", "rivulet:", "PT2S");
    }

    @Test
    void anUnknownBrokerIsRefusedNamingTheKey() {
        refused("rivulet.broker", "kafka", "redis://localhost:6379", "rivulet:", "PT2S");
    }

    @Test
    void thePrefixIsOneTo64CharactersWithoutSpaces() {
        assertEquals(64, configured("redis", "redis://h", "p".repeat(64), "PT2S").prefix().length());
        refused("rivulet.redis.prefix", "redis", "redis://h", "p".repeat(65), "PT2S");
        refused("rivulet.redis.prefix", "redis", "redis://h", "", "PT2S");
        refused("rivulet.redis.prefix", "redis", "redis://h", "my hub:", "PT2S");
    }

    @Test
    void theTimeoutIsATenthOfASecondToAMinute() {
        assertEquals(Duration.ofMillis(100), configured("redis", "redis://h", "r:", "PT0.1S").timeout());
        assertEquals(Duration.ofMinutes(1), configured("redis", "redis://h", "r:", "PT1M").timeout());
        refused("rivulet.redis.timeout", "redis", "redis://h", "r:", "PT0.09S");
        refused("rivulet.redis.timeout", "redis", "redis://h", "r:", "PT61S");
    }
}
