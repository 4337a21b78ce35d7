package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.testing.Poll;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A million-row export streams from the database in constant memory: the server's heap is smaller
 * than the export (-Xmx256m for the test servers), and a client that leaves ends the query.
 * Runs against the H2 server and the PostgreSQL server.
 */
class LogExportIT {

    private static final int ROWS = 1_000_000;
    private static final Duration RELEASE = Duration.ofSeconds(30);
    /** Makes each exported line about 300 bytes, so the export is larger than the server's heap. */
    private static final String PAD = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(5);

    private static String service;

    /** Seeds through the real ingest: one gzip body of a million lines. */
    @BeforeAll
    static void seed() throws IOException {
        service = TopicNames.unique("export");
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 << 20);
        try (GZIPOutputStream gz = new GZIPOutputStream(body, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            StringBuilder chunk = new StringBuilder(1 << 20);
            for (int i = 0; i < ROWS; i++) {
                chunk.append("{\"level\":\"info\",\"service\":\"").append(service).append("\",\"message\":\"row ")
                        .append(i).append(' ').append(PAD).append("\",\"n\":").append(i).append("}\n");
                if (chunk.length() > (1 << 20) - 512) {
                    gz.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    chunk.setLength(0);
                }
            }
            gz.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
        long start = System.nanoTime();
        LogsApi.Ingested answer = LogsApi.ingestGzip(body.toByteArray());
        assertEquals(ROWS, answer.accepted(), () -> "rejected: " + answer.rejected());
        System.out.printf("[%s] ingested %,d rows in %.1f s%n", LogsApi.database(), ROWS, (System.nanoTime() - start) / 1e9);
    }

    private static String exportPath() {
        return "/api/logs?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8);
    }

    @Test
    void aMillionRowsArriveOnceAndInOrderThroughAHeapTooSmallToHoldThem() throws Exception {
        double maxHeap = LogsApi.metric("memory_maxHeap_bytes");
        long start = System.nanoTime();
        HttpResponse<InputStream> response = HubServer.HTTP.send(
                HttpRequest.newBuilder(HubServer.uri(exportPath())).timeout(Duration.ofMinutes(5))
                        .header("Authorization", HubServer.AUTHORIZATION).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long rows = 0;
        long bytes = 0;
        long lastId = 0;
        long firstLine = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = lines.readLine()) != null) {
                bytes += line.length() + 1;
                long id = Long.parseLong(field(line, "\"id\":\"", '"'));
                long n = Long.parseLong(field(line, "\"n\":", '}'));
                if (n != rows || id <= lastId) {
                    fail("row " + rows + " arrived as n=" + n + " with id " + id + " after id " + lastId);
                }
                lastId = id;
                if (rows++ == 0) {
                    firstLine = System.nanoTime() - start;
                }
            }
        }
        long total = System.nanoTime() - start;
        double seconds = total / 1e9;
        System.out.printf("[%s] exported %,d rows, %,d bytes in %.1f s (%.0f rows/s, %.1f MB/s), first line after %d ms;"
                        + " server max heap %,.0f bytes%n", LogsApi.database(), rows, bytes, seconds, rows / seconds,
                bytes / seconds / 1e6, firstLine / 1_000_000, maxHeap);
        assertEquals(ROWS, rows, "every row arrives");
        assertTrue(bytes > maxHeap, "the export (" + bytes + " bytes) must be larger than the server's heap (" + maxHeap + ")");
        assertTrue(firstLine < total / 10, "the first line arrived after " + firstLine / 1_000_000 + " ms of "
                + total / 1_000_000 + ": it must leave long before the query has read every row");
    }

    @Test
    void aClientThatLeavesAfterTenLinesEndsTheQueryAndFreesItsConnection() {
        Poll.until("no log stream open", RELEASE, () -> LogsApi.metric("rivulet_logs_streams"), n -> n == 0);
        double handles = LogsApi.metric("connectionpool_connectionHandles");
        double abandoned = LogsApi.metric("rivulet_logs_streams_abandoned_total");
        double exported = LogsApi.metric("rivulet_logs_exported_total");

        LogStreamClient client = LogStreamClient.open(exportPath(), 0);
        try {
            assertEquals(200, client.status());
            assertEquals(10, client.nextEntries(10).size());
            // The first lines have left while the query still runs: it holds a connection.
            Poll.until("the export to hold a connection", RELEASE,
                    () -> LogsApi.metric("connectionpool_connectionHandles"), n -> n == handles + 1);
        } finally {
            client.abort();
        }

        Poll.until("the connection to return to the pool", RELEASE,
                () -> LogsApi.metric("connectionpool_connectionHandles"), n -> n == handles);
        Poll.until("the stream to end", RELEASE, () -> LogsApi.metric("rivulet_logs_streams"), n -> n == 0);
        assertEquals(abandoned + 1, LogsApi.metric("rivulet_logs_streams_abandoned_total"),
                "the stream ended because its client left");
        double sent = LogsApi.metric("rivulet_logs_exported_total") - exported;
        assertTrue(sent < ROWS / 2.0, "the query stopped early, after " + sent + " of " + ROWS + " rows");
    }

    private static String field(String line, String prefix, char end) {
        int from = line.indexOf(prefix);
        if (from < 0) {
            throw new UncheckedIOException(new IOException("no " + prefix + " in " + line));
        }
        from += prefix.length();
        return line.substring(from, line.indexOf(end, from));
    }
}
