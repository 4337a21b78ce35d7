package dev.rivulet.stream;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of the streaming transports (SSE and NDJSON). */
@ApplicationScoped
public class StreamConfig {

    @Inject
    @ConfigProperty(name = "rivulet.sse.keep-alive", defaultValue = "PT15S")
    String keepAliveValue;

    private Duration keepAlive;

    @PostConstruct
    void read() {
        keepAlive = ConfigValue.durationIn("rivulet.sse.keep-alive", keepAliveValue,
                Duration.ofMillis(200), Duration.ofHours(1));
    }

    /**
     * The longest a stream stays silent. A silent stream gets a keep-alive line within it, and a
     * client that has gone away is found (by the failed write) and released within it.
     */
    public Duration keepAlive() {
        return keepAlive;
    }
}
