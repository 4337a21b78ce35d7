package dev.rivulet.hub;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The hub core's configuration: subscriber queues, history bounds, payload size. */
@ApplicationScoped
public class HubConfig {

    @Inject
    @ConfigProperty(name = "rivulet.subscriber.queue-size", defaultValue = "512")
    String queueSizeValue;

    @Inject
    @ConfigProperty(name = "rivulet.subscriber.overflow", defaultValue = "disconnect")
    String overflowValue;

    @Inject
    @ConfigProperty(name = "rivulet.history.max-events", defaultValue = "1000")
    String historyMaxEventsValue;

    @Inject
    @ConfigProperty(name = "rivulet.history.max-age", defaultValue = "PT1H")
    String historyMaxAgeValue;

    @Inject
    @ConfigProperty(name = "rivulet.publish.max-bytes", defaultValue = "1048576")
    String publishMaxBytesValue;

    private int queueSize;
    private Overflow overflow;
    private int historyMaxEvents;
    private Duration historyMaxAge;
    private long publishMaxBytes;

    protected HubConfig() {
    }

    /** A configuration with the given values, for code that runs without CDI (tests, tools). */
    public static HubConfig of(int queueSize, Overflow overflow, int historyMaxEvents, Duration historyMaxAge,
                               long publishMaxBytes) {
        HubConfig c = new HubConfig();
        c.queueSize = queueSize;
        c.overflow = overflow;
        c.historyMaxEvents = historyMaxEvents;
        c.historyMaxAge = historyMaxAge;
        c.publishMaxBytes = publishMaxBytes;
        return c;
    }

    @PostConstruct
    void read() {
        queueSize = ConfigValue.intIn("rivulet.subscriber.queue-size", queueSizeValue, 1, 1_000_000);
        try {
            overflow = Overflow.parse(overflowValue);
        } catch (IllegalArgumentException e) {
            throw ConfigValue.invalid("rivulet.subscriber.overflow", overflowValue, "disconnect or drop-oldest");
        }
        historyMaxEvents = ConfigValue.intIn("rivulet.history.max-events", historyMaxEventsValue, 0, 10_000_000);
        historyMaxAge = ConfigValue.durationIn("rivulet.history.max-age", historyMaxAgeValue,
                Duration.ofSeconds(1), Duration.ofDays(365));
        publishMaxBytes = ConfigValue.longIn("rivulet.publish.max-bytes", publishMaxBytesValue, 1, 64L << 20);
        // A client disconnected for falling behind is a full queue plus one event behind; it can
        // catch up only if history retains more than that.
        if (overflow == Overflow.DISCONNECT && historyMaxEvents > 0 && queueSize >= historyMaxEvents) {
            throw ConfigValue.invalid("rivulet.subscriber.queue-size", queueSizeValue,
                    "smaller than rivulet.history.max-events (" + historyMaxEvents + ") while rivulet.subscriber.overflow"
                            + " is disconnect, so a client disconnected for falling behind can catch up from history");
        }
    }

    public int queueSize() {
        return queueSize;
    }

    public Overflow overflow() {
        return overflow;
    }

    public int historyMaxEvents() {
        return historyMaxEvents;
    }

    public Duration historyMaxAge() {
        return historyMaxAge;
    }

    public long publishMaxBytes() {
        return publishMaxBytes;
    }
}
