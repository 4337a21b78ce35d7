package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The log API of the server under test: {@code POST /api/logs} and plain {@code GET /api/logs}
 * exports over HTTP, and the metrics the log tests watch. Every request has a timeout.
 */
public final class LogsApi {

    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(3);

    private static final HttpClient HTTP = HubServer.HTTP;

    private LogsApi() {
    }

    /** The database the server under test stores logs in ({@code h2} or {@code postgresql}). */
    static String database() {
        return System.getProperty("it.database", "h2");
    }

    /** The answer to an ingest. */
    record Ingested(long accepted, List<JsonObject> rejected, long rejectedCount) {
    }

    /** One NDJSON line for an entry; {@code extra} is more members ("" for none), e.g. {@code ,"n":1}. */
    public static String line(String service, String level, String message, String extra) {
        return "{\"level\":\"" + level + "\",\"service\":\"" + service + "\",\"message\":\"" + message + "\"" + extra + "}\n";
    }

    /** Ingests NDJSON text and expects a 200 answer. */
    static Ingested ingest(String ndjson) {
        return ingested(post(ndjson.getBytes(StandardCharsets.UTF_8), "application/x-ndjson", null));
    }

    /** Ingests a gzip-compressed NDJSON body and expects a 200 answer. */
    static Ingested ingestGzip(byte[] gzipped) {
        return ingested(post(gzipped, "application/x-ndjson", "gzip"));
    }

    public static HttpResponse<String> post(byte[] body, String contentType, String contentEncoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(HubServer.uri("/api/logs"))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", HubServer.AUTHORIZATION)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Ingested ingested(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), () -> "POST /api/logs answered " + response.body());
        JsonObject o = HubServer.json(response.body()).asJsonObject();
        List<JsonObject> rejected = o.getJsonArray("rejected").stream().map(JsonValue::asJsonObject).toList();
        return new Ingested(o.getJsonNumber("accepted").longValue(), rejected, o.getJsonNumber("rejected_count").longValue());
    }

    /** GET /api/logs with {@code query} (may be empty); the whole answer as text. */
    static HttpResponse<String> get(String query, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(HubServer.uri("/api/logs" + (query.isEmpty() ? "" : "?" + query)))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", HubServer.AUTHORIZATION)
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/logs with {@code query}; the answer's bytes as they came (not decompressed). */
    static HttpResponse<byte[]> getBytes(String query, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(HubServer.uri("/api/logs" + (query.isEmpty() ? "" : "?" + query)))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", HubServer.AUTHORIZATION)
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The entries a finite export answers, in the order they came; fails unless the answer is 200. */
    static List<JsonObject> export(String query) {
        HttpResponse<String> response = get(query);
        assertEquals(200, response.statusCode(), () -> "GET /api/logs?" + query + " answered " + response.body());
        List<JsonObject> entries = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isEmpty()) {
                entries.add(HubServer.json(line).asJsonObject());
            }
        }
        return entries;
    }

    static List<String> messages(List<JsonObject> entries) {
        return entries.stream().map(e -> e.getString("message")).toList();
    }

    static long id(JsonObject entry) {
        return Long.parseLong(entry.getString("id"));
    }

    /** One sample of /metrics, e.g. {@code connectionpool_connectionHandles}. */
    static double metric(String name) {
        return HubServer.metric(HubServer.metrics(), name);
    }

    public static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 64 * 1024)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }
}
