package dev.rivulet.gate;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The limits the gate applies: streaming connections and publish rate. 0 turns a limit off. */
@ApplicationScoped
public class GateConfig {

    @Inject
    @ConfigProperty(name = "rivulet.connections.max", defaultValue = "10000")
    String connectionsMaxValue;

    @Inject
    @ConfigProperty(name = "rivulet.connections.max-per-client", defaultValue = "0")
    String connectionsMaxPerClientValue;

    @Inject
    @ConfigProperty(name = "rivulet.connections.retry-after", defaultValue = "PT5S")
    String connectionsRetryAfterValue;

    @Inject
    @ConfigProperty(name = "rivulet.publish.rate", defaultValue = "0")
    String publishRateValue;

    @Inject
    @ConfigProperty(name = "rivulet.publish.burst", defaultValue = "100")
    String publishBurstValue;

    private int connectionsMax;
    private int connectionsMaxPerClient;
    private Duration connectionsRetryAfter;
    private int publishRate;
    private int publishBurst;

    protected GateConfig() {
    }

    /** A configuration with the given values, for code that runs without CDI (tests, tools). */
    public static GateConfig of(int connectionsMax, int connectionsMaxPerClient, Duration connectionsRetryAfter,
                                int publishRate, int publishBurst) {
        GateConfig c = new GateConfig();
        c.connectionsMax = connectionsMax;
        c.connectionsMaxPerClient = connectionsMaxPerClient;
        c.connectionsRetryAfter = connectionsRetryAfter;
        c.publishRate = publishRate;
        c.publishBurst = publishBurst;
        return c;
    }

    @PostConstruct
    void read() {
        connectionsMax = ConfigValue.intIn("rivulet.connections.max", connectionsMaxValue, 1, 10_000_000);
        connectionsMaxPerClient = ConfigValue.intIn("rivulet.connections.max-per-client", connectionsMaxPerClientValue,
                0, 10_000_000);
        connectionsRetryAfter = ConfigValue.durationIn("rivulet.connections.retry-after", connectionsRetryAfterValue,
                Duration.ofSeconds(1), Duration.ofHours(1));
        publishRate = ConfigValue.intIn("rivulet.publish.rate", publishRateValue, 0, 10_000_000);
        publishBurst = ConfigValue.intIn("rivulet.publish.burst", publishBurstValue, 1, 10_000_000);
    }

    /** Read at startup, so a bad value stops the application before it serves anyone. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        connectionsMax();
    }

    /** Streaming connections of all transports together that this node holds at most. */
    public int connectionsMax() {
        return connectionsMax;
    }

    /** Streaming connections one client (token subject, else address) holds at most; 0 for no limit. */
    public int connectionsMaxPerClient() {
        return connectionsMaxPerClient;
    }

    /** What a client refused at a connection limit is told to wait (Retry-After). */
    public Duration connectionsRetryAfter() {
        return connectionsRetryAfter;
    }

    /** Events a second one publisher may publish on average; 0 for no limit. */
    public int publishRate() {
        return publishRate;
    }

    /** Events one publisher may publish at once above the rate. */
    public int publishBurst() {
        return publishBurst;
    }
}
