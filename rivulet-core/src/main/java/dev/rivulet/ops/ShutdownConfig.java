package dev.rivulet.ops;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** How this node shuts down: the drain's grace, the reconnect hint clients get, the drain endpoint's token. */
@ApplicationScoped
public class ShutdownConfig {

    /** A shorter token is too easy to guess for an endpoint that takes a node out of service. */
    static final int TOKEN_MIN_LENGTH = 16;

    @Inject
    @ConfigProperty(name = "rivulet.shutdown.grace", defaultValue = "PT10S")
    String graceValue;

    @Inject
    @ConfigProperty(name = "rivulet.shutdown.retry-min", defaultValue = "PT1S")
    String retryMinValue;

    @Inject
    @ConfigProperty(name = "rivulet.shutdown.retry-max", defaultValue = "PT5S")
    String retryMaxValue;

    @Inject
    @ConfigProperty(name = "rivulet.shutdown.drain-token")
    Optional<String> drainTokenValue;

    private Duration grace;
    private Duration retryMin;
    private Duration retryMax;
    private String drainToken;

    protected ShutdownConfig() {
    }

    /** A configuration with the given values, for code that runs without CDI (tests, tools). */
    public static ShutdownConfig of(Duration grace, Duration retryMin, Duration retryMax, String drainToken) {
        ShutdownConfig c = new ShutdownConfig();
        c.grace = grace;
        c.retryMin = retryMin;
        c.retryMax = retryMax;
        c.drainToken = drainToken;
        return c;
    }

    @PostConstruct
    void read() {
        grace = ConfigValue.durationIn("rivulet.shutdown.grace", graceValue, Duration.ofSeconds(1), Duration.ofMinutes(10));
        retryMin = ConfigValue.durationIn("rivulet.shutdown.retry-min", retryMinValue,
                Duration.ofMillis(100), Duration.ofHours(1));
        retryMax = ConfigValue.durationIn("rivulet.shutdown.retry-max", retryMaxValue, retryMin, Duration.ofHours(1));
        String token = drainTokenValue.map(String::trim).orElse("");
        if (!token.isEmpty() && token.length() < TOKEN_MIN_LENGTH) {
            // The message must not echo a secret.
            throw new IllegalArgumentException("Invalid configuration: rivulet.shutdown.drain-token must be at least "
                    + TOKEN_MIN_LENGTH + " characters (or unset to turn the drain endpoint off), but was "
                    + token.length() + " characters");
        }
        drainToken = token.isEmpty() ? null : token;
    }

    /** Read at startup, so a bad value stops the application before it serves anyone. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        grace();
    }

    /** The longest a drain takes: connections still open after it are closed without a goodbye. */
    public Duration grace() {
        return grace;
    }

    /** The shortest reconnect hint a client gets in the {@code shutdown} notice. */
    public Duration retryMin() {
        return retryMin;
    }

    /** The longest reconnect hint; each client's is drawn evenly between the two, so they do not all return at once. */
    public Duration retryMax() {
        return retryMax;
    }

    /** The bearer token {@code POST /api/ops/drain} requires; null when the endpoint is off. */
    public String drainToken() {
        return drainToken;
    }
}
