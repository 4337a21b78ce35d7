package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogStoreTest {

    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private LogStore store;

    @BeforeEach
    void freshDatabase() {
        store = LogStore.of(H2Store.dataSource(), H2Store.defaults());
    }

    private static LogEntry entry(int minute, LogLevel level, String service, String message) {
        return new LogEntry(0, T0.plusSeconds(60L * minute), level, service, message, null);
    }

    private List<LogEntry> read(LogQuery query) throws SQLException {
        List<LogEntry> out = new ArrayList<>();
        try (LogCursor cursor = store.open(query)) {
            LogEntry e;
            while ((e = cursor.next()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    private static LogQuery query(String... nameValue) {
        Map<String, String[]> params = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            params.merge(nameValue[i], new String[] {nameValue[i + 1]}, (a, b) -> {
                String[] both = java.util.Arrays.copyOf(a, a.length + 1);
                both[a.length] = b[0];
                return both;
            });
        }
        return LogQuery.parse(params, null);
    }

    @Test
    void storedEntriesGetIncreasingIdsAndComeBackAsTheyWere() throws SQLException {
        List<LogEntry> stored = store.insert(List.of(
                new LogEntry(0, T0, LogLevel.INFO, "api", "first", "{\"user\":\"bob\"}"),
                entry(1, LogLevel.ERROR, "db", "second")));
        assertTrue(stored.get(0).id() > 0);
        assertTrue(stored.get(1).id() > stored.get(0).id());
        assertEquals(stored, read(LogQuery.all()));
    }

    @Test
    void filtersSelectByServiceLevelTimeTextAndId() throws SQLException {
        List<LogEntry> s = store.insert(List.of(
                entry(0, LogLevel.DEBUG, "api", "cache miss"),
                entry(1, LogLevel.WARN, "api", "slow call: 100% of budget"),
                entry(2, LogLevel.ERROR, "db", "deadlock"),
                entry(3, LogLevel.FATAL, "api", "out of memory"),
                entry(4, LogLevel.INFO, "web", "served_page")));
        assertEquals(List.of(s.get(0), s.get(1), s.get(3)), read(query("service", "api")));
        assertEquals(List.of(s.get(0), s.get(1), s.get(2), s.get(3)), read(query("service", "api", "service", "db")));
        assertEquals(List.of(s.get(1), s.get(2), s.get(3)), read(query("level", "warn")));
        assertEquals(List.of(s.get(1), s.get(2)), read(query("since", "2024-05-01T00:01:00Z", "until", "2024-05-01T00:03:00Z")));
        // LIKE's wildcards in the text match only themselves.
        assertEquals(List.of(s.get(1)), read(query("q", "100%")));
        assertEquals(List.of(s.get(4)), read(query("q", "_")));
        assertEquals(List.of(s.get(3), s.get(4)), read(query("after", Long.toString(s.get(2).id()))));
        assertEquals(List.of(s.get(0), s.get(1)), read(query("limit", "2")));
        assertEquals(List.of(), read(query("limit", "0")));
    }

    @Test
    void anExportOfExactlyOneFetchAndOfOneRowMoreArrivesWhole() throws SQLException {
        int fetch = H2Store.defaults().fetchSize();
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i <= fetch; i++) {
            batch.add(entry(i, LogLevel.INFO, "api", "line " + i));
        }
        List<LogEntry> stored = store.insert(batch);
        assertEquals(stored.subList(0, fetch), read(query("limit", Integer.toString(fetch))));
        assertEquals(stored, read(LogQuery.all()));
    }

    @Test
    void aCursorClosedEarlyLeavesTheStoreUsable() throws SQLException {
        List<LogEntry> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(entry(i, LogLevel.INFO, "api", "line " + i));
        }
        store.insert(batch);
        try (LogCursor cursor = store.open(LogQuery.all())) {
            assertEquals("line 0", cursor.next().message());
        }
        store.insert(List.of(entry(60, LogLevel.INFO, "api", "after")));
        assertEquals(51, read(LogQuery.all()).size());
    }
}
