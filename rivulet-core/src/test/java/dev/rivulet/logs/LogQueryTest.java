package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.InvalidInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogQueryTest {

    private static Map<String, String[]> params(String... nameValue) {
        Map<String, String[]> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            String name = nameValue[i];
            String[] old = map.getOrDefault(name, new String[0]);
            String[] values = java.util.Arrays.copyOf(old, old.length + 1);
            values[old.length] = nameValue[i + 1];
            map.put(name, values);
        }
        return map;
    }

    private static InvalidInputException refused(String... nameValue) {
        return assertThrows(InvalidInputException.class, () -> LogQuery.parse(params(nameValue), null));
    }

    @Test
    void everyFilterIsRead() {
        LogQuery q = LogQuery.parse(params("service", "api", "service", "db", "level", "WARN",
                "since", "2024-05-01T00:00:00Z", "until", "2024-05-02T00:00:00+02:00", "q", "timeout",
                "limit", "10", "after", "77", "follow", "true"), null);
        assertEquals(List.of("api", "db"), q.services());
        assertEquals(LogLevel.WARN, q.minLevel());
        assertEquals(Instant.parse("2024-05-01T00:00:00Z"), q.since());
        assertEquals(Instant.parse("2024-05-01T22:00:00Z"), q.until());
        assertEquals("timeout", q.text());
        assertEquals(10, q.limit());
        assertEquals(77, q.after());
        assertTrue(q.follow());
    }

    @Test
    void withNoParametersEverythingIsExportedOnce() {
        LogQuery q = LogQuery.parse(Map.of(), null);
        assertEquals(LogQuery.all(), q);
        assertFalse(q.limited());
    }

    @Test
    void aBrowsersLastEventIdWinsOverTheUrlsAfter() {
        assertEquals(120, LogQuery.parse(params("after", "5"), "120").after());
        assertEquals(5, LogQuery.parse(params("after", "5"), null).after());
    }

    @Test
    void badParametersAreRefusedWithTheirOwnProblemType() {
        assertEquals("invalid-time", refused("since", "yesterday").problem());
        assertEquals("invalid-time", refused("until", "2024-13-01T00:00:00Z").problem());
        assertEquals("invalid-time", refused("until", "2023-02-29T00:00:00Z").problem());
        assertEquals("invalid-time", refused("since", "2024-05-02T00:00:00Z", "until", "2024-05-01T00:00:00Z").problem());
        assertEquals("invalid-level", refused("level", "verbose").problem());
        assertEquals("invalid-limit", refused("limit", "-1").problem());
        assertEquals("invalid-limit", refused("limit", "ten").problem());
        assertEquals("invalid-id", refused("after", "abc").problem());
        assertEquals("invalid-id", refused("after", "99999999999999999999").problem());
        assertEquals("invalid-service", refused("service", "a b").problem());
        assertEquals("invalid-parameter", refused("servce", "api").problem());
        assertEquals("invalid-parameter", refused("limit", "1", "limit", "2").problem());
        assertEquals("invalid-parameter", refused("follow", "yes").problem());
    }

    @Test
    void liveEntriesAreMatchedByTheSameFilters() {
        LogQuery q = LogQuery.parse(params("service", "api", "level", "warn", "since", "2024-05-01T00:00:00Z",
                "until", "2024-05-02T00:00:00Z", "q", "time out"), null);
        Instant inside = Instant.parse("2024-05-01T10:00:00Z");
        LogEntry match = new LogEntry(1, inside, LogLevel.ERROR, "api", "call time out after 3s", null);
        assertTrue(q.matches(match));
        assertFalse(q.matches(new LogEntry(1, inside, LogLevel.INFO, "api", "call time out", null)));
        assertFalse(q.matches(new LogEntry(1, inside, LogLevel.ERROR, "db", "call time out", null)));
        assertFalse(q.matches(new LogEntry(1, inside, LogLevel.ERROR, "api", "call timed out", null)));
        assertFalse(q.matches(new LogEntry(1, Instant.parse("2024-05-02T00:00:00Z"), LogLevel.ERROR, "api", "time out", null)));
        assertTrue(q.matches(new LogEntry(1, Instant.parse("2024-05-01T00:00:00Z"), LogLevel.ERROR, "api", "time out", null)));
    }

    @Test
    void aTailFollowsItsServicesTopicsOrAllOfThem() {
        assertEquals(List.of("logs/api"), LogQuery.parse(params("service", "api"), null).selectors().stream()
                .map(s -> s.text()).toList());
        LogQuery all = LogQuery.parse(Map.of(), null);
        assertTrue(all.selectors().get(0).matches("logs/anything"));
        assertFalse(all.selectors().get(0).matches("chat/lobby"));
        assertNull(all.minLevel());
    }
}
