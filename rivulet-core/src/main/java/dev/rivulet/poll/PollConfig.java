package dev.rivulet.poll;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of long-polling, {@code GET /api/poll}. */
@ApplicationScoped
public class PollConfig {

    @Inject
    @ConfigProperty(name = "rivulet.poll.timeout", defaultValue = "PT30S")
    String timeoutValue;

    @Inject
    @ConfigProperty(name = "rivulet.poll.max-timeout", defaultValue = "PT2M")
    String maxTimeoutValue;

    @Inject
    @ConfigProperty(name = "rivulet.poll.max-events", defaultValue = "1000")
    String maxEventsValue;

    @Inject
    @ConfigProperty(name = "rivulet.poll.coalesce", defaultValue = "PT0.05S")
    String coalesceValue;

    private Duration timeout;
    private Duration maxTimeout;
    private int maxEvents;
    private Duration coalesce;

    @PostConstruct
    void read() {
        maxTimeout = ConfigValue.durationIn("rivulet.poll.max-timeout", maxTimeoutValue,
                Duration.ofSeconds(1), Duration.ofHours(1));
        timeout = ConfigValue.durationIn("rivulet.poll.timeout", timeoutValue, Duration.ZERO, maxTimeout);
        maxEvents = ConfigValue.intIn("rivulet.poll.max-events", maxEventsValue, 1, 100_000);
        coalesce = ConfigValue.durationIn("rivulet.poll.coalesce", coalesceValue, Duration.ZERO, Duration.ofSeconds(1));
    }

    /** Checked when the application starts, so a bad value stops startup rather than the first poll. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        maxEvents();
    }

    /** How long a poll waits when it names no {@code timeout}. */
    public Duration timeout() {
        return timeout;
    }

    /** The longest {@code timeout} a poll may ask for. */
    public Duration maxTimeout() {
        return maxTimeout;
    }

    /** The most events one answer carries; also the default {@code limit}. */
    public int maxEvents() {
        return maxEvents;
    }

    /** How long a waiting poll that got an event waits for more before it answers. */
    public Duration coalesce() {
        return coalesce;
    }
}
