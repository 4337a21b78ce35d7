package dev.rivulet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.testing.Poll;
import dev.rivulet.testing.Tokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Rivulet server under test, as its plain HTTP API: where it listens, publishing, the topic
 * list and the metrics. Every request has a timeout, so a server that stops answering fails the
 * test instead of hanging it.
 */
public final class HubServer {

    public static final String HOST = "localhost";
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    /**
     * The README's token, signed with the development secret the test servers run on: it may
     * publish and subscribe to every topic. Every request of these helpers carries it.
     */
    public static final String AUTHORIZATION = "Bearer " + Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, Tokens.EVERYTHING);

    /** The test server's chat heartbeat (the it.chat.* properties in pom.xml set it for server and tests alike). */
    public static final Duration PING_INTERVAL = Duration.parse(System.getProperty("it.chat.ping-interval", "PT1S"));
    public static final Duration IDLE_TIMEOUT = Duration.parse(System.getProperty("it.chat.idle-timeout", "PT10S"));

    /** The one HTTP client of the tests that talk to the shared server (WebSocket clients included). */
    public static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private HubServer() {
    }

    /** The answer to a successful publish. */
    public record Published(String id, String topic, String type, int deliveredTo) {

        public long position() {
            return Long.parseLong(id);
        }
    }

    public static int port() {
        String port = System.getProperty("it.http.port");
        if (port == null || port.isBlank()) {
            throw new IllegalStateException("system property it.http.port is not set; run the tests with mvn verify");
        }
        return Integer.parseInt(port.trim());
    }

    public static URI uri(String pathAndQuery) {
        return URI.create("http://" + HOST + ":" + port() + pathAndQuery);
    }

    public static URI ws(String pathAndQuery) {
        return URI.create("ws://" + HOST + ":" + port() + pathAndQuery);
    }

    /** A room name no other test uses. */
    public static String room(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The value of a gauge at /metrics. */
    public static long gauge(String name) {
        return (long) metric(metrics(), name);
    }

    public static HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", AUTHORIZATION).GET().build());
    }

    public static HttpResponse<String> post(String pathAndQuery, String contentType, String body) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", AUTHORIZATION)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** A request with exactly the given headers (name, value, ...): no token unless one is among them. */
    public static HttpResponse<String> request(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    /** Asserts that {@code r} is a problem+json answer of {@code status} and {@code slug}, with a challenge on a 401. */
    public static void assertProblem(HttpResponse<String> r, int status, String slug) {
        assertEquals(status, r.statusCode(), () -> "answer: " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("urn:rivulet:problem:" + slug, json(r.body()).asJsonObject().getString("type"), r.body());
        if (status == 401) {
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer "), "401 carries a challenge");
        }
    }

    /**
     * Publishes without checking the answer. {@code rawQuery} is appended to the URL as it is
     * (already percent-encoded), or omitted when null.
     */
    public static HttpResponse<String> publishRaw(String topic, String rawQuery, String body) {
        return post("/api/topics/" + topic + (rawQuery == null ? "" : "?" + rawQuery), "application/json", body);
    }

    /** Publishes JSON {@code data} with the default type and expects it to be accepted. */
    public static Published publish(String topic, String data) {
        return publish(topic, null, data);
    }

    /** Publishes JSON {@code data}, with {@code type} unless it is null, and expects it to be accepted. */
    public static Published publish(String topic, String type, String data) {
        HttpResponse<String> response = publishRaw(topic, type == null ? null : "type=" + type, data);
        assertEquals(200, response.statusCode(), () -> "publish to " + topic + " answered " + response.body());
        JsonObject body = json(response.body()).asJsonObject();
        String id = body.getString("id");
        assertTrue(id.matches("[0-9]+"), () -> "event id is not a decimal number: " + body);
        return new Published(id, body.getString("topic"), body.getString("type"), body.getInt("delivered_to"));
    }

    /**
     * Publishes {@code count} events to {@code topic} from {@code threads} concurrent publishers
     * ({@code data.apply(i)} is the body of the i-th) and answers the accepted events in id order.
     * Fails if any publish is not answered 200.
     */
    public static List<Published> publishMany(String topic, int count, int threads, IntFunction<String> data) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Published>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    List<Published> mine = new ArrayList<>();
                    for (int i = first; i < count; i += threads) {
                        mine.add(publish(topic, data.apply(i)));
                    }
                    return mine;
                }));
            }
            List<Published> all = new ArrayList<>(count);
            for (Future<List<Published>> part : parts) {
                all.addAll(part.get(5, TimeUnit.MINUTES));
            }
            all.sort(Comparator.comparingLong(Published::position));
            return all;
        } catch (Exception e) {
            throw new AssertionError("publishing " + count + " events to " + topic + " failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** GET /api/topics, by topic name. */
    public static Map<String, JsonObject> topics() {
        HttpResponse<String> response = get("/api/topics");
        assertEquals(200, response.statusCode(), () -> "GET /api/topics answered " + response.body());
        Map<String, JsonObject> byName = new LinkedHashMap<>();
        for (JsonValue t : json(response.body()).asJsonObject().getJsonArray("topics")) {
            JsonObject topic = t.asJsonObject();
            byName.put(topic.getString("topic"), topic);
        }
        return byName;
    }

    /** The subscriber count GET /api/topics shows for {@code topic}; 0 when the topic is not listed. */
    public static int subscribers(String topic) {
        JsonObject t = topics().get(topic);
        return t == null ? 0 : t.getInt("subscribers");
    }

    /** Waits until GET /api/topics shows {@code expected} subscribers for {@code topic}. */
    public static void awaitSubscribers(String topic, int expected, Duration within) {
        Poll.until("subscribers of " + topic + " to be " + expected, within,
                () -> subscribers(topic), n -> n == expected);
    }

    public static String metrics() {
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode(), () -> "GET /metrics answered " + response.body());
        return response.body();
    }

    /** The value of one sample in Prometheus text, e.g. {@code rivulet_subscriber_queue_capacity}. */
    static double metric(String prometheusText, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})?\\s+(\\S+)\\s*$")
                .matcher(prometheusText);
        if (!m.find()) {
            fail("metric " + name + " is not in /metrics:\n" + prometheusText);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * The value of the sample {@code name} whose labels include every {@code label, value} pair given,
     * e.g. {@code metric(text, "rivulet_connections", "transport", "sse")}.
     */
    public static double metric(String prometheusText, String name, String... labels) {
        double value = metricOr(Double.NaN, prometheusText, name, labels);
        if (Double.isNaN(value)) {
            fail("metric " + name + " " + String.join(",", labels) + " is not in /metrics:\n" + prometheusText);
        }
        return value;
    }

    /**
     * A counter with those labels, 0 while it is not in the text: a labelled counter appears with
     * the first time it counts.
     */
    public static double counter(String prometheusText, String name, String... labels) {
        return metricOr(0, prometheusText, name, labels);
    }

    private static double metricOr(double absent, String prometheusText, String name, String... labels) {
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            int close = line.lastIndexOf('}');
            String labelText = close < 0 ? "" : line.substring(name.length(), close + 1);
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                all &= labelText.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                String[] parts = line.trim().split("\\s+");
                return Double.parseDouble(parts[parts.length - 1]);
            }
        }
        return absent;
    }

    public static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
        }
    }
}
