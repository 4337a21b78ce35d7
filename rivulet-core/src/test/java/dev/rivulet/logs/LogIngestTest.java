package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.TopicSelector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogIngestTest {

    private static final Predicate<String> ANY_TOPIC = topic -> true;
    private static final List<TopicSelector> READ_ALL = List.of(TopicSelector.parse("*"));

    private final List<Integer> transactions = new ArrayList<>();
    private LogStore store;
    private Hub hub;
    private LogIngest ingest;

    @BeforeEach
    void setUp() {
        LogsConfig config = H2Store.defaults();
        LogStore real = LogStore.of(H2Store.dataSource(), config);
        // The real store, noting the size of each transaction.
        store = new LogStore() {
            @Override
            public List<LogEntry> insert(List<LogEntry> entries) throws SQLException {
                transactions.add(entries.size());
                return real.insert(entries);
            }

            @Override
            public LogCursor open(LogQuery query) throws SQLException {
                return real.open(query);
            }
        };
        HubConfig hubConfig = HubConfig.of(64, Overflow.DISCONNECT, 10_000, Duration.ofHours(1), 1 << 20);
        hub = new Hub(new MemoryBroker(hubConfig), hubConfig);
        ingest = new LogIngest(store, hub, config, LogMetrics.unregistered());
    }

    private static InputStream body(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String lines(int n, String service) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"level\":\"info\",\"service\":\"").append(service).append("\",\"message\":\"m").append(i).append("\"}\n");
        }
        return b.toString();
    }

    private List<LogEntry> stored() throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (LogCursor c = store.open(LogQuery.all())) {
            LogEntry e;
            while ((e = c.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void goodLinesAreStoredAndEachBadOneIsReportedByItsNumber() throws Exception {
        LogIngest.Result r = ingest.ingest(body("""
                {"level":"info","service":"api","message":"one"}
                {"level":"loud","service":"api","message":"two"}

                not json
                {"level":"error","service":"db","message":"three","code":7}
                """), ANY_TOPIC);
        assertEquals(2, r.accepted());
        assertEquals(2, r.rejectedCount());
        assertEquals(List.of(
                new LogIngest.Rejection(2, "unknown \"level\"; use one of trace, debug, info, warn, error, fatal"),
                new LogIngest.Rejection(4, "invalid JSON at column 2")), r.rejected());
        assertEquals(List.of("one", "three"), stored().stream().map(LogEntry::message).toList());
        assertEquals("{\"code\":7}", stored().get(1).fields());
    }

    @Test
    void aBodyOfOneBatchIsOneTransactionAndOneLineMoreIsTwo() throws Exception {
        int batch = H2Store.defaults().batchSize();
        ingest.ingest(body(lines(batch, "api")), ANY_TOPIC);
        assertEquals(List.of(batch), transactions);
        transactions.clear();
        ingest.ingest(body(lines(batch + 1, "api")), ANY_TOPIC);
        assertEquals(List.of(batch, 1), transactions);
        assertEquals(2 * batch + 1, stored().size());
    }

    /** A valid line of exactly {@code bytes} bytes, without its line break. */
    private static String lineOfLength(int bytes) {
        String head = "{\"level\":\"info\",\"service\":\"api\",\"message\":\"";
        return head + "x".repeat(bytes - head.length() - 2) + "\"}";
    }

    @Test
    void aTransactionEndsBeforeItsLinesWouldPassTheByteLimit() throws Exception {
        int limit = H2Store.defaults().batchBytes();
        int longest = H2Store.defaults().maxLineBytes();
        int full = limit / longest - 1; // lines of the longest length, then two that make up the rest
        String body = (lineOfLength(longest) + "\n").repeat(full) + lineOfLength(longest - 100) + "\n";
        ingest.ingest(body(body + lineOfLength(100) + "\n"), ANY_TOPIC);
        assertEquals(List.of(full + 2), transactions, "lines of exactly the byte limit are one transaction");
        transactions.clear();
        ingest.ingest(body(body + lineOfLength(101) + "\n"), ANY_TOPIC);
        assertEquals(List.of(full + 1, 1), transactions, "one byte more starts a second");
    }

    @Test
    void theRejectedListStopsAtItsCapButTheCountGoesOn() throws Exception {
        int cap = H2Store.defaults().rejectedMax();
        LogIngest.Result atCap = ingest.ingest(body("bad\n".repeat(cap)), ANY_TOPIC);
        assertEquals(cap, atCap.rejected().size());
        assertEquals(cap, atCap.rejectedCount());
        LogIngest.Result over = ingest.ingest(body("bad\n".repeat(cap + 1) + lines(1, "api")), ANY_TOPIC);
        assertEquals(cap, over.rejected().size());
        assertEquals(cap + 1, over.rejectedCount());
        assertEquals(cap, over.rejected().get(cap - 1).line());
        assertEquals(1, over.accepted());
    }

    @Test
    void anEntryOfAServiceThePublisherMayNotWriteIsRejectedAloneAndTheRestAreStored() throws Exception {
        LogIngest.Result r = ingest.ingest(body(lines(2, "api") + lines(1, "billing") + lines(1, "api")),
                topic -> topic.equals("logs/api"));
        assertEquals(3, r.accepted());
        assertEquals(1, r.rejectedCount());
        assertEquals(3, r.rejected().get(0).line());
        assertTrue(r.rejected().get(0).error().contains("publish claim"), r.rejected().get(0).error());
        assertEquals(List.of("api"), stored().stream().map(LogEntry::service).distinct().toList());
    }

    @Test
    void storedEntriesArePrivateEventsSeenOnlyByReadersOfTheirTopic() throws Exception {
        ingest.ingest(body(lines(2, "api")), ANY_TOPIC);
        assertEquals(0, hub.history("logs/api", List.of(), null, 100).size());
        assertEquals(2, hub.history("logs/api", List.of(TopicSelector.parse("logs/{service}")), null, 100).size());
    }

    @Test
    void everyStoredEntryIsPublishedToItsServicesTopicInIdOrder() throws Exception {
        ingest.ingest(body(lines(3, "api") + lines(2, "db")), ANY_TOPIC);
        List<LogEntry> stored = stored();
        List<Outbound> api = hub.history("logs/api", READ_ALL, null, 100);
        assertEquals(3, api.size());
        for (int i = 0; i < 3; i++) {
            Event e = (Event) api.get(i);
            assertEquals(LogIngest.EVENT_TYPE, e.type());
            assertEquals(stored.get(i).toJson(), e.data());
        }
        assertEquals(2, hub.history("logs/db", READ_ALL, null, 100).size());
    }

    @Test
    void aBodyThatBreaksOffKeepsTheLinesThatArrivedWhole() {
        InputStream breaking = new SequenceInputStream(body(lines(5, "api") + "{\"level\":\"in"), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        });
        LogIngest.Interrupted e = assertThrows(LogIngest.Interrupted.class, () -> ingest.ingest(breaking, ANY_TOPIC));
        assertEquals(5, e.accepted());
        assertEquals(6, e.line());
        assertTrue(!e.storeFailed());
    }
}
