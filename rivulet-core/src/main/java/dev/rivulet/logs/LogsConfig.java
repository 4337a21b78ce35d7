package dev.rivulet.logs;

import dev.rivulet.config.ConfigValue;
import dev.rivulet.hub.HubConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The log store's limits: line length, transaction and fetch sizes, the rejected-line report. */
@ApplicationScoped
public class LogsConfig {

    @Inject
    @ConfigProperty(name = "rivulet.logs.max-line-bytes", defaultValue = "65536")
    String maxLineBytesValue;

    @Inject
    @ConfigProperty(name = "rivulet.logs.batch-size", defaultValue = "1000")
    String batchSizeValue;

    @Inject
    @ConfigProperty(name = "rivulet.logs.batch-bytes", defaultValue = "4194304")
    String batchBytesValue;

    @Inject
    @ConfigProperty(name = "rivulet.logs.rejected-max", defaultValue = "100")
    String rejectedMaxValue;

    @Inject
    @ConfigProperty(name = "rivulet.logs.fetch-size", defaultValue = "1000")
    String fetchSizeValue;

    @Inject
    HubConfig hub;

    private int maxLineBytes;
    private int batchSize;
    private int batchBytes;
    private int rejectedMax;
    private int fetchSize;

    protected LogsConfig() {
    }

    /** A configuration with the given values, for code that runs without CDI (tests, tools). */
    public static LogsConfig of(int maxLineBytes, int batchSize, int batchBytes, int rejectedMax, int fetchSize) {
        LogsConfig c = new LogsConfig();
        c.maxLineBytes = maxLineBytes;
        c.batchSize = batchSize;
        c.batchBytes = batchBytes;
        c.rejectedMax = rejectedMax;
        c.fetchSize = fetchSize;
        return c;
    }

    @PostConstruct
    void read() {
        maxLineBytes = ConfigValue.intIn("rivulet.logs.max-line-bytes", maxLineBytesValue, 256, 1 << 20);
        batchSize = ConfigValue.intIn("rivulet.logs.batch-size", batchSizeValue, 1, 100_000);
        batchBytes = ConfigValue.intIn("rivulet.logs.batch-bytes", batchBytesValue, 1024, 256 << 20);
        rejectedMax = ConfigValue.intIn("rivulet.logs.rejected-max", rejectedMaxValue, 0, 100_000);
        fetchSize = ConfigValue.intIn("rivulet.logs.fetch-size", fetchSizeValue, 1, 100_000);
        // A stored entry is published to the hub as JSON, which can take up to twice the bytes of
        // the line it came from (escapes) plus its id and time: the hub must accept the largest.
        long needed = 2L * maxLineBytes + 1024;
        if (hub.publishMaxBytes() < needed) {
            throw ConfigValue.invalid("rivulet.logs.max-line-bytes", maxLineBytesValue,
                    "at most (rivulet.publish.max-bytes - 1024) / 2 = " + (hub.publishMaxBytes() - 1024) / 2
                            + ", so every stored line can also be published to live subscribers");
        }
    }

    /** Read at startup, so a bad value stops the application before it serves anyone. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        maxLineBytes();
    }

    /** The longest line an ingest accepts, in bytes, without its line break. */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Lines written per transaction during an ingest, at most. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Bytes of lines written per transaction, at most (a single longer line is a transaction of
     * its own): with {@link #batchSize} it bounds what an ingest holds, whatever its lines' length.
     */
    public int batchBytes() {
        return batchBytes;
    }

    /** Rejected lines an ingest answer lists; the count covers them all. */
    public int rejectedMax() {
        return rejectedMax;
    }

    /** Rows an export reads from the database per round trip. */
    public int fetchSize() {
        return fetchSize;
    }
}
