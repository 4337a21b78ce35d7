package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/logs}: filters, resuming with {@code after}, gzip, and refused parameters. */
class LogQueryIT {

    private static final String[] LEVELS = {"trace", "debug", "info", "warn", "error", "fatal"};
    private static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");
    private static final int ENTRIES = 300;
    /** The server's rivulet.logs.fetch-size (the default). */
    private static final int FETCH_SIZE = 1000;

    private static String service;
    private static String otherService;

    /** Entry i: level i mod 6, time T0 + i minutes, "timeout" in every tenth message, a unicode and a nested field. */
    @BeforeAll
    static void seed() {
        service = TopicNames.unique("query");
        otherService = TopicNames.unique("query-other");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < ENTRIES; i++) {
            body.append(LogsApi.line(service, LEVELS[i % 6], message(i),
                    ",\"time\":\"" + T0.plusSeconds(60L * i) + "\",\"n\":" + i + ",\"ctx\":{\"city\":\"Zürich\",\"tags\":[1,2]}"));
            if (i % 3 == 0) {
                body.append(LogsApi.line(otherService, "error", "other " + i, ""));
            }
        }
        assertEquals(ENTRIES + ENTRIES / 3, LogsApi.ingest(body.toString()).accepted());
    }

    private static String message(int i) {
        return i % 10 == 0 ? "request " + i + " timeout" : "request " + i + " ok";
    }

    private static List<Integer> ns(List<JsonObject> entries) {
        return entries.stream().map(e -> e.getInt("n")).toList();
    }

    private static List<Integer> expected(IntPredicate which) {
        return IntStream.range(0, ENTRIES).filter(which).boxed().toList();
    }

    private static String q(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void anExportIsNdjsonThatIsNotCached() {
        HttpResponse<String> response = LogsApi.get(q("service", service) + "&limit=1");
        assertEquals(200, response.statusCode());
        assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("ndjson", response.headers().firstValue("X-Stream-Format").orElse(""));
    }

    @Test
    void eachFilterSelectsTheEntriesItNames() {
        String s = q("service", service);
        assertEquals(expected(i -> true), ns(LogsApi.export(s)));
        assertEquals(expected(i -> i % 6 >= 3), ns(LogsApi.export(s + "&level=warn")));
        assertEquals(expected(i -> i >= 100 && i < 160),
                ns(LogsApi.export(s + "&" + q("since", T0.plusSeconds(6000).toString()) + "&" + q("until", "2024-05-01T04:40:00+02:00"))));
        assertEquals(expected(i -> i % 10 == 0), ns(LogsApi.export(s + "&q=timeout")));
        assertEquals(expected(i -> i < 25), ns(LogsApi.export(s + "&limit=25")));
        assertEquals(expected(i -> i % 10 == 0 && i % 6 >= 4 && i >= 100).subList(0, 3),
                ns(LogsApi.export(s + "&q=timeout&level=error&" + q("since", T0.plusSeconds(6000).toString()) + "&limit=3")));
    }

    @Test
    void severalServicesAreOneExportInIdOrder() {
        List<JsonObject> both = LogsApi.export(q("service", service) + "&" + q("service", otherService) + "&level=error");
        List<String> services = both.stream().map(e -> e.getString("service")).distinct().sorted().toList();
        assertEquals(List.of(service, otherService).stream().sorted().toList(), services);
        assertEquals(expected(i -> i % 6 >= 4).size() + ENTRIES / 3, both.size());
        for (int i = 1; i < both.size(); i++) {
            assertTrue(LogsApi.id(both.get(i)) > LogsApi.id(both.get(i - 1)), "ids increase");
        }
    }

    @Test
    void anInterruptedExportResumesAfterTheLastIdItGot() {
        String s = "/api/logs?" + q("service", service);
        List<JsonObject> first;
        try (LogStreamClient client = LogStreamClient.open(s, 0)) {
            assertEquals(200, client.status());
            first = client.nextEntries(120);
        } // the connection drops here, mid-export
        String lastId = first.get(first.size() - 1).getString("id");
        List<JsonObject> rest = LogsApi.export(q("service", service) + "&after=" + lastId);
        List<Integer> all = new ArrayList<>(ns(first));
        all.addAll(ns(rest));
        assertEquals(expected(i -> true), all, "every entry once, in order, across the break");
    }

    @Test
    void anExportOfExactlyOneFetchAndOfOneRowMoreArrivesWhole() {
        String edge = TopicNames.unique("fetch-edge");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= FETCH_SIZE; i++) {
            body.append(LogsApi.line(edge, "info", "row", ",\"n\":" + i));
        }
        LogsApi.ingest(body.toString());
        assertEquals(IntStream.range(0, FETCH_SIZE).boxed().toList(), ns(LogsApi.export(q("service", edge) + "&limit=" + FETCH_SIZE)));
        assertEquals(IntStream.rangeClosed(0, FETCH_SIZE).boxed().toList(), ns(LogsApi.export(q("service", edge))));
    }

    @Test
    void gzipRoundTripsWhatWasIngested() throws IOException {
        String roundTrip = TopicNames.unique("gzip-round");
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            body.append(LogsApi.line(roundTrip, LEVELS[i % 6], "naïve café ✓ " + i, ",\"n\":" + i + ",\"nested\":{\"a\":[true,null,1.5]}"));
        }
        assertEquals(3000, LogsApi.ingestGzip(LogsApi.gzip(body.toString())).accepted());

        HttpResponse<byte[]> gzipped = LogsApi.getBytes(q("service", roundTrip), "Accept-Encoding", "gzip");
        assertEquals(200, gzipped.statusCode());
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        String unzipped;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            unzipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        HttpResponse<String> plain = LogsApi.get(q("service", roundTrip));
        assertNull(plain.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(plain.body(), unzipped, "the same export, compressed or not");

        String[] lines = unzipped.split("\n");
        assertEquals(3000, lines.length);
        for (int i = 0; i < lines.length; i++) {
            JsonObject e = HubServer.json(lines[i]).asJsonObject();
            assertEquals("naïve café ✓ " + i, e.getString("message"));
            assertEquals(LEVELS[i % 6], e.getString("level"));
            assertEquals("{\"a\":[true,null,1.5]}", e.getJsonObject("nested").toString());
        }
        assertTrue(gzipped.body().length * 4 < plain.body().length(), "compressed: " + gzipped.body().length + " bytes");
    }

    @Test
    void badParametersAreRefusedWithAProblem() {
        String[][] cases = {
                {"since=yesterday", "invalid-time"},
                {"until=2024-02-30T00:00:00Z", "invalid-time"},
                {"level=verbose", "invalid-level"},
                {"limit=-1", "invalid-limit"},
                {"after=abc", "invalid-id"},
                {"service=a%2Fb", "invalid-service"},
                {"follow=maybe", "invalid-parameter"},
                {"servce=api", "invalid-parameter"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = LogsApi.get(c[0]);
            assertEquals(400, r.statusCode(), () -> c[0] + " answered " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), c[0]);
            JsonObject problem = HubServer.json(r.body()).asJsonObject();
            assertEquals("urn:rivulet:problem:" + c[1], problem.getString("type"), c[0]);
            assertTrue(!problem.getString("detail").contains("Exception"), problem::toString);
        }
    }

    @Test
    void aQueryStringThatCannotBeDecodedIsRefusedWithAProblem() {
        // Sent as it is: an HTTP client library would refuse to build this URL.
        try (LogStreamClient client = LogStreamClient.open("/api/logs?q=%zz", 0)) {
            assertEquals(400, client.status());
            assertTrue(client.header("Content-Type").startsWith("application/problem+json"));
            assertEquals("urn:rivulet:problem:invalid-parameter",
                    HubServer.json(client.rest()).asJsonObject().getString("type"));
        }
    }
}
