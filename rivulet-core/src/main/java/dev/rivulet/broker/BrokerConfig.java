package dev.rivulet.broker;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Which broker the node uses, and where its Redis is when that is the broker. */
@ApplicationScoped
public class BrokerConfig {

    /** One node, nothing outside it; or several nodes sharing one Redis. */
    public enum Kind {
        MEMORY, REDIS
    }

    @Inject
    @ConfigProperty(name = "rivulet.broker", defaultValue = "memory")
    String kindValue;

    @Inject
    @ConfigProperty(name = "rivulet.redis.uri", defaultValue = "redis://localhost:6379")
    String redisUriValue;

    @Inject
    @ConfigProperty(name = "rivulet.redis.prefix", defaultValue = "rivulet:")
    String prefixValue;

    @Inject
    @ConfigProperty(name = "rivulet.redis.timeout", defaultValue = "PT2S")
    String timeoutValue;

    private Kind kind;
    private String redisUri;
    private String prefix;
    private Duration timeout;

    protected BrokerConfig() {
    }

    /** The Redis broker's configuration, for code that runs without CDI (tests, tools). */
    public static BrokerConfig redis(String uri, String prefix, Duration timeout) {
        BrokerConfig c = new BrokerConfig();
        c.kind = Kind.REDIS;
        c.redisUri = uri;
        c.prefix = prefix;
        c.timeout = timeout;
        return c;
    }

    @PostConstruct
    void read() {
        try {
            kind = Kind.valueOf(kindValue.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigValue.invalid("rivulet.broker", kindValue, "memory or redis");
        }
        redisUri = redisUriValue.trim();
        try {
            String scheme = new URI(redisUri).getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
                throw ConfigValue.invalid("rivulet.redis.uri", redisUriValue, "a redis:// or rediss:// URI");
            }
        } catch (URISyntaxException e) {
            throw ConfigValue.invalid("rivulet.redis.uri", redisUriValue, "a redis:// or rediss:// URI");
        }
        prefix = prefixValue;
        if (prefix.isEmpty() || prefix.length() > 64 || prefix.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            throw ConfigValue.invalid("rivulet.redis.prefix", prefixValue,
                    "1 to 64 characters without spaces or control characters");
        }
        timeout = ConfigValue.durationIn("rivulet.redis.timeout", timeoutValue, Duration.ofMillis(100), Duration.ofMinutes(1));
    }

    public Kind kind() {
        return kind;
    }

    /** {@code redis://} or {@code rediss://}, with password and database in the URI. */
    public String redisUri() {
        return redisUri;
    }

    /** What every key and channel of this hub begins with, so several hubs can share a Redis. */
    public String prefix() {
        return prefix;
    }

    /** How long a command may take before the broker counts as unreachable. */
    public Duration timeout() {
        return timeout;
    }
}
