package dev.rivulet.logs;

import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads an NDJSON body of log lines as it arrives and stores the good ones in transactions of
 * at most {@code rivulet.logs.batch-size} lines and {@code rivulet.logs.batch-bytes} bytes; a bad
 * line is rejected alone. Each stored entry is then
 * published to the hub as a private event of topic {@code logs/{service}}: only readers whose
 * token covers the topic see it, as in {@code GET /api/logs}.
 *
 * <p>Batches are stored and published one at a time on this node, so ids increase in the order
 * entries become visible and reach live subscribers: a tail that has read up to id N from the
 * database has seen every entry at or below N, and takes over from the hub after it.
 */
@ApplicationScoped
public class LogIngest {

    private static final Logger LOG = Logger.getLogger(LogIngest.class.getName());
    /** The hub event type of a published entry. */
    public static final String EVENT_TYPE = "log";

    private final ReentrantLock commitOrder = new ReentrantLock();

    private LogStore store;
    private Hub hub;
    private LogsConfig config;
    private LogMetrics metrics;

    protected LogIngest() {
    }

    @Inject
    public LogIngest(LogStore store, Hub hub, LogsConfig config, LogMetrics metrics) {
        this.store = store;
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
    }

    /** A line that was not stored, and why. */
    public record Rejection(long line, String error) {
    }

    /**
     * What an ingest did: how many entries it stored, the first {@code rivulet.logs.rejected-max}
     * rejected lines, and how many were rejected in all.
     */
    public record Result(long accepted, List<Rejection> rejected, long rejectedCount) {
    }

    /**
     * The body stopped being readable, or the store failed, part-way: the entries of the lines
     * before {@code line} were handled ({@code accepted} of them stored), the rest were not.
     */
    public static final class Interrupted extends Exception {

        private final long accepted;
        private final long line;

        Interrupted(long accepted, long line, Exception cause) {
            super(cause.getMessage(), cause);
            this.accepted = accepted;
            this.line = line;
        }

        public long accepted() {
            return accepted;
        }

        public long line() {
            return line;
        }

        public boolean storeFailed() {
            return getCause() instanceof SQLException;
        }
    }

    /**
     * Reads the body to its end. Lines are numbered from 1; blank lines are skipped. Throws
     * {@link Interrupted} when the body breaks off (a cut connection, corrupt gzip) or the store
     * fails: every line before {@link Interrupted#line()} was handled, none after it. An entry whose
     * topic ({@code logs/{service}}) {@code mayPublish} refuses is rejected like an unreadable line.
     */
    public Result ingest(InputStream body, Predicate<String> mayPublish) throws Interrupted {
        NdjsonLineReader lines = new NdjsonLineReader(body, config.maxLineBytes());
        List<LogEntry> batch = new ArrayList<>(Math.min(config.batchSize(), 10_000));
        List<Rejection> rejected = new ArrayList<>();
        long rejectedCount = 0;
        long accepted = 0;
        long read = 0;
        long batchBytes = 0;
        long handledBefore = 1;
        try {
            NdjsonLineReader.Line line;
            while ((line = lines.next()) != null) {
                read = line.number();
                String problem = line.problem();
                LogEntry entry = null;
                if (line.readable() && !line.text().isBlank()) {
                    try {
                        entry = LogEntry.fromLine(line.text(), Instant.now());
                    } catch (InvalidInputException e) {
                        problem = e.getMessage();
                    }
                }
                if (entry != null && !mayPublish.test(entry.topic())) {
                    problem = "the token's publish claim does not cover this entry's service (topic logs/{service})";
                    entry = null;
                }
                if (entry != null) {
                    if (!batch.isEmpty() && batchBytes + line.bytes() > config.batchBytes()) {
                        accepted += store(batch);
                        handledBefore = read;
                        batchBytes = 0;
                    }
                    batch.add(entry);
                    batchBytes += line.bytes();
                }
                if (problem != null) {
                    rejectedCount++;
                    if (rejected.size() < config.rejectedMax()) {
                        rejected.add(new Rejection(line.number(), problem));
                    }
                }
                if (batch.size() == config.batchSize() || batchBytes >= config.batchBytes()) {
                    accepted += store(batch);
                    handledBefore = read + 1;
                    batchBytes = 0;
                }
            }
            accepted += store(batch);
        } catch (IOException broken) {
            // The lines that arrived whole are good: keep them, then report where the body broke.
            try {
                accepted += store(batch);
            } catch (SQLException e) {
                throw interrupted(accepted, handledBefore, rejectedCount, e);
            }
            throw interrupted(accepted, read + 1, rejectedCount, broken);
        } catch (SQLException e) {
            throw interrupted(accepted, handledBefore, rejectedCount, e);
        }
        metrics.rejected(rejectedCount);
        return new Result(accepted, List.copyOf(rejected), rejectedCount);
    }

    private Interrupted interrupted(long accepted, long line, long rejectedCount, Exception cause) {
        metrics.rejected(rejectedCount);
        return new Interrupted(accepted, line, cause);
    }

    /** Stores one batch and publishes its entries; answers how many were stored. */
    private int store(List<LogEntry> batch) throws SQLException {
        if (batch.isEmpty()) {
            return 0;
        }
        commitOrder.lock();
        try {
            List<LogEntry> stored = store.insert(batch);
            List<Draft> events = new ArrayList<>(stored.size());
            for (LogEntry e : stored) {
                events.add(new Draft(e.topic(), EVENT_TYPE, e.toJson(), true));
            }
            try {
                hub.publishAll(events);
            } catch (InvalidInputException refused) {
                // One entry the hub refuses (none should be): the others still go, one by one.
                for (LogEntry e : stored) {
                    try {
                        hub.publish(e.topic(), EVENT_TYPE, e.toJson(), true);
                    } catch (InvalidInputException each) {
                        LOG.log(Level.WARNING, "Log entry " + e.id() + " was stored but not published: " + each.getMessage());
                    }
                }
            }
            metrics.ingested(stored.size());
            return stored.size();
        } finally {
            commitOrder.unlock();
            batch.clear();
        }
    }
}
