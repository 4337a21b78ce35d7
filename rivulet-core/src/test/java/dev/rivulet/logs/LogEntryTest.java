package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogEntryTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00.123456789Z");

    private static String error(String line) {
        return assertThrows(InvalidInputException.class, () -> LogEntry.fromLine(line, NOW)).getMessage();
    }

    @Test
    void aLineKeepsItsOtherFieldsInOrderAndComesBackWithItsId() {
        LogEntry e = LogEntry.fromLine(
                "{\"level\":\"WARN\",\"user\":\"bob\",\"service\":\"api\",\"message\":\"slow\",\"ms\":1200,\"tags\":[\"a\",{\"b\":null}]}", NOW);
        assertEquals(LogLevel.WARN, e.level());
        assertEquals("{\"user\":\"bob\",\"ms\":1200,\"tags\":[\"a\",{\"b\":null}]}", e.fields());
        assertEquals("{\"id\":\"42\",\"time\":\"2024-05-01T12:00:00.123456Z\",\"level\":\"warn\",\"service\":\"api\","
                + "\"message\":\"slow\",\"user\":\"bob\",\"ms\":1200,\"tags\":[\"a\",{\"b\":null}]}", e.withId(42).toJson());
    }

    @Test
    void withoutATimeTheEntryIsStampedNowToTheMicrosecond() {
        LogEntry e = LogEntry.fromLine("{\"level\":\"info\",\"service\":\"api\",\"message\":\"m\"}", NOW);
        assertEquals(Instant.parse("2024-05-01T12:00:00.123456Z"), e.time());
        assertNull(e.fields());
    }

    @Test
    void rfc3339TimesWithOffsetsAreStoredAsTheInstantTheyName() {
        LogEntry e = LogEntry.fromLine("{\"time\":\"2024-05-01t14:00:00.5+02:00\",\"level\":\"info\",\"service\":\"a\",\"message\":\"m\"}", NOW);
        assertEquals(Instant.parse("2024-05-01T12:00:00.5Z"), e.time());
    }

    @Test
    void anIdInTheLineIsIgnoredSoAnExportCanBeSentAgain() {
        LogEntry e = LogEntry.fromLine("{\"id\":\"99\",\"level\":\"info\",\"service\":\"a\",\"message\":\"m\"}", NOW);
        assertEquals(0, e.id());
        assertNull(e.fields());
        LogEntry again = LogEntry.fromStoredJson(e.withId(7).toJson());
        assertEquals(e.withId(7), again);
    }

    @Test
    void controlCharactersInTheMessageStayEscapedOnOneLine() {
        LogEntry e = LogEntry.fromLine("{\"level\":\"info\",\"service\":\"a\",\"message\":\"a\\nb\\u0000\"}", NOW);
        assertEquals("a\nb\u0000", e.message());
        assertTrue(e.toJson().contains("\"message\":\"a\\nb\\u0000\""), e.toJson());
    }

    @Test
    void eachKindOfBadLineSaysWhatIsWrong() {
        assertEquals("invalid JSON at column 2", error("{x"));
        assertEquals("a line must be one JSON object", error("[1,2]"));
        assertEquals("missing \"level\"", error("{\"service\":\"a\",\"message\":\"m\"}"));
        assertEquals("missing \"service\"", error("{\"level\":\"info\",\"message\":\"m\"}"));
        assertEquals("missing \"message\"", error("{\"level\":\"info\",\"service\":\"a\"}"));
        assertEquals("\"message\" must be a string", error("{\"level\":\"info\",\"service\":\"a\",\"message\":5}"));
        assertEquals("unknown \"level\"; use one of trace, debug, info, warn, error, fatal",
                error("{\"level\":\"verbose\",\"service\":\"a\",\"message\":\"m\"}"));
        assertEquals("\"service\" must be 1 to 128 letters, digits, '.', '_' or '-'",
                error("{\"level\":\"info\",\"service\":\"a/b\",\"message\":\"m\"}"));
        assertEquals("\"time\" is not an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)",
                error("{\"level\":\"info\",\"service\":\"a\",\"message\":\"m\",\"time\":\"yesterday\"}"));
        assertEquals("\"time\" is not an RFC 3339 timestamp (e.g. 2024-05-01T12:00:00Z)",
                error("{\"level\":\"info\",\"service\":\"a\",\"message\":\"m\",\"time\":\"2024-05-01T12:00:00\"}"));
        assertEquals("invalid JSON at column 46",
                error("{\"level\":\"info\",\"service\":\"a\",\"message\":\"m\"} {\"x\":1}"));
    }

    @Test
    void aServiceNameIsAtMost128Characters() {
        String longest = "s".repeat(128);
        assertEquals(longest, LogEntry.fromLine("{\"level\":\"info\",\"service\":\"" + longest + "\",\"message\":\"m\"}", NOW).service());
        error("{\"level\":\"info\",\"service\":\"" + longest + "s\",\"message\":\"m\"}");
    }

    @Test
    void levelNamesOfOtherLoggersAreUnderstood() {
        assertEquals(LogLevel.WARN, LogLevel.parse("Warning").orElseThrow());
        assertEquals(LogLevel.FATAL, LogLevel.parse("CRITICAL").orElseThrow());
        assertTrue(LogLevel.parse("notice").isEmpty());
    }
}
