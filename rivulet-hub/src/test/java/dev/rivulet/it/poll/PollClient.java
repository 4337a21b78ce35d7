package dev.rivulet.it.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Long polls against the shared server: requests, and their answers read as JSON. */
final class PollClient {

    private PollClient() {
    }

    /** One long poll's answer: the events (envelopes and control events) and the cursor to poll on with. */
    record Answer(java.util.List<JsonObject> events, String next) {

        static Answer of(HttpResponse<String> response) {
            assertEquals(200, response.statusCode(), () -> "poll answered " + response.body());
            assertEquals("application/json", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonObject body = HubServer.json(response.body()).asJsonObject();
            return new Answer(body.getJsonArray("events").getValuesAs(JsonObject.class), body.getString("next"));
        }

        /** The ids of the events in this answer (control events have none). */
        java.util.List<String> ids() {
            return events.stream().filter(e -> e.containsKey("id")).map(e -> e.getString("id")).toList();
        }
    }

    /** The path of a poll on {@code topic}; {@code query} (already encoded) is appended when not empty. */
    static String path(String topic, String query) {
        return "/api/poll?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8) + (query.isEmpty() ? "" : "&" + query);
    }

    static HttpRequest request(String topic, String query, boolean token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(HubServer.uri(path(topic, query)))
                .timeout(Duration.ofSeconds(150)).GET();
        if (token) {
            b.header("Authorization", HubServer.AUTHORIZATION);
        }
        return b.build();
    }

    /** Polls with the test token and expects a 200 answer. */
    static Answer poll(String topic, String query) {
        return Answer.of(HubServer.send(request(topic, query, true)));
    }

    /** The cursor a client that starts now polls on with: an answer at once, with nothing in it. */
    static String now(String topic) {
        Answer a = poll(topic, "timeout=0");
        assertEquals(0, a.events().size(), () -> "a poll with no cursor starts now, but got " + a.events());
        return a.next();
    }

    static CompletableFuture<HttpResponse<String>> pollAsync(HttpClient client, String topic, String query) {
        return client.sendAsync(request(topic, query, true), HttpResponse.BodyHandlers.ofString());
    }
}
