package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runnable JAR ({@code java -jar target/rivulet.jar}) configured by environment variables, as in
 * a container: it starts and is ready, logs JSON with the access log when told to, and on SIGTERM (what {@code docker stop}, Kubernetes and
 * Ctrl-C send) it says goodbye to every stream and exits within the grace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunnableJarIT {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private static ServerProcess jar;

    @BeforeAll
    static void start() {
        jar = ServerProcess.runnableJar("rivulet-jar", Map.of(
                "RIVULET_SUBSCRIBER_QUEUE_SIZE", "256",
                "RIVULET_SHUTDOWN_GRACE", "PT5S",
                "RIVULET_SHUTDOWN_RETRY_MIN", "PT2S",
                "RIVULET_SHUTDOWN_RETRY_MAX", "PT4S",
                "RIVULET_SSE_KEEP_ALIVE", "PT1S",
                "WLP_LOGGING_CONSOLE_FORMAT", "JSON",
                "WLP_LOGGING_CONSOLE_SOURCE", "message,accessLog",
                "ACCESS_LOG_ENABLED", "true"));
        jar.awaitReady(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    @Order(1)
    void theJarStartsReadyAndTakesItsConfigurationFromTheEnvironment() {
        HttpResponse<String> ready = jar.get("/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", HubServer.json(ready.body()).asJsonObject().getString("status"));
        assertEquals(200, jar.get("/health/started").statusCode());
        assertEquals(256, HubServer.metric(jar.metrics(), "rivulet_subscriber_queue_capacity"),
                "RIVULET_SUBSCRIBER_QUEUE_SIZE=256 is rivulet.subscriber.queue-size");
    }

    @Test
    @Order(1)
    void withNoKeyConfiguredTheJarWarnsThatItRunsOnTheDevelopmentSecret() {
        String output = jar.awaitOutput("development secret", WITHIN);
        assertTrue(output.lines().anyMatch(l -> l.contains("development secret") && l.contains("RIVULET_JWT_SECRET")), output);
    }

    @Test
    @Order(1)
    void consoleLogsAreJsonAndCarryTheAccessLogWhenSwitchedOn() {
        assertEquals(404, jar.get("/api/no-such-thing").statusCode());
        String output = jar.awaitOutput("\"ibm_uriPath\":\"\\/api\\/no-such-thing\"", WITHIN);
        String ready = output.lines().filter(l -> l.contains("CWWKF0011I")).findFirst()
                .orElseThrow(() -> new AssertionError("no server-ready message:\n" + output));
        assertTrue(ready.startsWith("{\"type\":\"liberty_message\""), ready);
        String access = output.lines().filter(l -> l.contains("no-such-thing")).findFirst().orElseThrow();
        assertTrue(access.startsWith("{\"type\":\"liberty_accesslog\""), access);
        assertTrue(access.contains("\"ibm_responseCode\":404"), access);
    }

    @Test
    @Order(2)
    void onSigtermEveryStreamGetsItsEventsThenAShutdownNoticeAndTheServerExitsWithinTheGrace() {
        String topic = TopicNames.unique("sigterm");
        String path = "/api/topics/" + topic;
        try (EventStreamClient sse = EventStreamClient.open(jar.port(), null, path, Format.SSE, null);
             EventStreamClient ndjson = EventStreamClient.open(jar.port(), null, path, Format.NDJSON, null)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = jar.post(path, "application/json", "{\"n\":" + i + "}");
                assertEquals(200, r.statusCode(), r.body());
                JsonObject body = HubServer.json(r.body()).asJsonObject();
                ids.add(body.getString("id"));
            }
            String last = ids.get(ids.size() - 1);

            long signalled = System.nanoTime();
            jar.terminate();

            for (EventStreamClient c : List.of(sse, ndjson)) {
                assertEquals(ids, c.readThrough(last, WITHIN).stream().map(StreamMessage::id).toList(),
                        "every event accepted before the signal");
                StreamMessage notice = c.nextMessage(WITHIN);
                assertTrue(notice.isControl("shutdown"), () -> "expected the shutdown notice, got " + notice);
                long retryMs = notice.json().asJsonObject().getJsonNumber("retry_ms").longValue();
                assertTrue(retryMs >= 2000 && retryMs <= 4000, "retry_ms " + retryMs);
                if (c == sse) {
                    assertEquals(Long.toString(retryMs), notice.retry(), "SSE retry: carries the same hint");
                }
                assertNull(c.nextMessage(WITHIN), "the stream ends after the notice");
            }

            assertTrue(jar.awaitExit(GRACE), "the server did not exit within the " + GRACE.toSeconds()
                    + " s grace after SIGTERM:\n" + jar.output());
            long exitMillis = (System.nanoTime() - signalled) / 1_000_000;
            assertTrue(exitMillis < GRACE.toMillis(), "exit took " + exitMillis + " ms");
        }
    }
}
