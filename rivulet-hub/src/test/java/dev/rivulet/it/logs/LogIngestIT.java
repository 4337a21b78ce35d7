package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.logs.LogsApi.Ingested;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code POST /api/logs}: good lines are stored, each bad one is named, and nothing else is refused. */
class LogIngestIT {

    /** The server's rivulet.logs.max-line-bytes and rivulet.logs.rejected-max (the defaults). */
    private static final int MAX_LINE_BYTES = 65536;
    private static final int REJECTED_MAX = 100;

    /** A valid line of exactly {@code bytes} bytes (without its line break). */
    private static String lineOfLength(String service, int bytes) {
        String head = "{\"level\":\"info\",\"service\":\"" + service + "\",\"message\":\"";
        String tail = "\"}";
        return head + "m".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertEquals(status, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                () -> "content type of " + response.body());
        assertEquals("urn:rivulet:problem:" + slug, HubServer.json(response.body()).asJsonObject().getString("type"));
    }

    @Test
    void goodLinesAreStoredAndEachBadLineIsReportedByItsNumber() {
        String service = TopicNames.unique("ingest");
        String atLimit = lineOfLength(service, MAX_LINE_BYTES);
        String overLimit = lineOfLength(service, MAX_LINE_BYTES + 1);
        Ingested answer = LogsApi.ingest(LogsApi.line(service, "info", "first", "")
                + "{\"level\":\"info\",\"service\":\n"
                + LogsApi.line(service, "loud", "unknown level", "")
                + "{\"level\":\"info\",\"service\":\"" + service + "\"}\n"
                + "\n"
                + LogsApi.line(service, "error", "second", ",\"time\":\"2024-05-01T12:00:00+02:00\",\"user\":\"bob\"")
                + overLimit + "\n"
                + atLimit + "\n"
                + "[\"not\",\"an\",\"object\"]\n");

        assertEquals(3, answer.accepted());
        assertEquals(5, answer.rejectedCount());
        assertEquals(List.of(2L, 3L, 4L, 7L, 9L), answer.rejected().stream().map(r -> r.getJsonNumber("line").longValue()).toList());
        assertTrue(answer.rejected().get(0).getString("error").startsWith("invalid JSON"), answer.rejected()::toString);
        assertEquals(List.of(
                        "unknown \"level\"; use one of trace, debug, info, warn, error, fatal",
                        "missing \"message\"",
                        "line is longer than " + MAX_LINE_BYTES + " bytes",
                        "a line must be one JSON object"),
                answer.rejected().stream().skip(1).map(r -> r.getString("error")).toList());

        List<JsonObject> stored = LogsApi.export("service=" + service);
        assertEquals(3, stored.size());
        assertEquals("first", stored.get(0).getString("message"));
        JsonObject second = stored.get(1);
        assertEquals("second", second.getString("message"));
        assertEquals("error", second.getString("level"));
        assertEquals("2024-05-01T10:00:00Z", second.getString("time"));
        assertEquals("bob", second.getString("user"), "other fields are kept");
        assertEquals(atLimit, stored.get(2).toString().replaceFirst("\"id\":\"[0-9]+\",\"time\":\"[^\"]+\",", ""),
                "a line of exactly the limit is stored whole");
    }

    @Test
    void theRejectedListIsCappedButTheCountCoversEveryBadLine() {
        String service = TopicNames.unique("capped");
        Ingested atCap = LogsApi.ingest("oops\n".repeat(REJECTED_MAX));
        assertEquals(REJECTED_MAX, atCap.rejected().size());
        assertEquals(REJECTED_MAX, atCap.rejectedCount());

        Ingested overCap = LogsApi.ingest("oops\n".repeat(REJECTED_MAX + 1) + LogsApi.line(service, "info", "kept", ""));
        assertEquals(REJECTED_MAX, overCap.rejected().size());
        assertEquals(REJECTED_MAX + 1, overCap.rejectedCount());
        assertEquals(1, overCap.accepted());
        assertEquals(List.of("kept"), LogsApi.messages(LogsApi.export("service=" + service)));
    }

    @Test
    void aGzipBodyIsStoredLikeAPlainOne() {
        String service = TopicNames.unique("gzip-in");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            body.append(LogsApi.line(service, "info", "n" + i, ",\"n\":" + i));
        }
        Ingested answer = LogsApi.ingestGzip(LogsApi.gzip(body.toString()));
        assertEquals(2500, answer.accepted());
        List<JsonObject> stored = LogsApi.export("service=" + service);
        assertEquals(2500, stored.size());
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i, stored.get(i).getInt("n"));
        }
    }

    @Test
    void aBodyTheEndpointCannotReadIsAProblemNotAFailure() {
        byte[] ndjson = LogsApi.line("x", "info", "m", "").getBytes(StandardCharsets.UTF_8);
        assertProblem(LogsApi.post(ndjson, "text/csv", null), 415, "unsupported-media-type");
        assertProblem(LogsApi.post(ndjson, "application/x-ndjson", "br"), 415, "unsupported-encoding");
        assertProblem(LogsApi.post(ndjson, "application/x-ndjson", "gzip"), 400, "invalid-body");
    }
}
