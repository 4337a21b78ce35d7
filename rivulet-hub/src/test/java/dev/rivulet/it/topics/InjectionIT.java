package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Published data and types cannot forge SSE frames or fields, nor break NDJSON lines. */
class InjectionIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    /** Line breaks escaped inside JSON strings, trying to end the frame and forge fields. */
    private static final String ESCAPED_BREAKS = "{\"text\":\"one\\r\\ntwo\\rthree\\nfour\","
            + "\"forged\":\"\\n\\nid: 1\\nevent: evil\\ndata: {}\\n\\n\",\"unicode\":\"a\\u000d\\u000ab\"}";
    /** Raw CR, LF and CRLF as whitespace between JSON tokens. */
    private static final String RAW_WHITESPACE = "{\r\n  \"a\" :\r 1 ,\n\n  \"b\" : [ 1 ,\r\n 2 ]\r\n}\r\n\r\n";
    /** A top-level JSON string that is nothing but an attempted frame. */
    private static final String STRING_FRAME = "\"\\r\\n\\r\\nevent: evil\\r\\ndata: x\\r\\n\\r\\n\"";

    private record Accepted(Published published, JsonValue data) {
    }

    @Test
    void lineBreaksInEventDataCannotForgeFramesOrFields() {
        String topic = TopicNames.unique("inject");
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + topic, Format.SSE);
             EventStreamClient ndjson = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON)) {
            List<Accepted> accepted = new ArrayList<>();
            accepted.add(new Accepted(HubServer.publish(topic, "note", ESCAPED_BREAKS), HubServer.json(ESCAPED_BREAKS)));
            accepted.add(new Accepted(HubServer.publish(topic, "note", RAW_WHITESPACE), HubServer.json(RAW_WHITESPACE)));
            accepted.add(new Accepted(HubServer.publish(topic, null, STRING_FRAME), HubServer.json(STRING_FRAME)));
            accepted.add(new Accepted(HubServer.publish(topic, "end", "{\"end\":true}"), HubServer.json("{\"end\":true}")));
            String last = accepted.get(accepted.size() - 1).published().id();

            List<StreamMessage> frames = sse.readThrough(last, WITHIN);
            assertEquals(accepted.size(), frames.size(), () -> "one SSE frame per event, nothing else: " + frames);
            for (int i = 0; i < accepted.size(); i++) {
                Published p = accepted.get(i).published();
                StreamMessage frame = frames.get(i);
                List<String> lines = frame.lines();
                assertEquals(3, lines.size(), () -> "exactly id, event and one data line: " + lines);
                assertEquals("id: " + p.id(), lines.get(0));
                assertEquals("event: " + p.type(), lines.get(1));
                assertTrue(lines.get(2).startsWith("data: "), lines.get(2));
                assertEquals(accepted.get(i).data(), HubServer.json(lines.get(2).substring("data: ".length())),
                        "the data arrives unchanged as JSON");
            }

            List<StreamMessage> lines = ndjson.readThrough(last, WITHIN);
            assertEquals(accepted.size(), lines.size(), () -> "one NDJSON line per event, nothing else: " + lines);
            for (int i = 0; i < accepted.size(); i++) {
                Published p = accepted.get(i).published();
                StreamMessage line = lines.get(i);
                assertEquals(StreamMessage.Kind.EVENT, line.kind(), () -> "not a valid event line: " + line);
                JsonObject envelope = HubServer.json(line.lines().get(0)).asJsonObject();
                assertEquals(p.id(), envelope.getString("id"));
                assertEquals(p.type(), envelope.getString("type"));
                assertEquals(topic, envelope.getString("topic"));
                assertEquals(accepted.get(i).data(), envelope.get("data"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ok%0D%0Aevent:%20evil",
        "ok%0Adata:%20%7B%7D",
        "ok%0Did:%201",
        "ok%0D%0A%0D%0Aid:%201",
        "ok%20evil",
        "ok%09evil",
    })
    void aTypeWithLineBreaksOrWhitespaceIsRefusedAndNothingIsDelivered(String encodedType) {
        assertRefusedAndNothingDelivered("type=" + encodedType, "{\"x\":1}", "invalid-type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "keep-alive", "gap", "lagged", "shutdown"})
    void aReservedControlTypeIsRefusedAndNothingIsDelivered(String type) {
        assertRefusedAndNothingDelivered("type=" + type, "{\"x\":1}", "invalid-type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/subscribe?topic=%zz", "/api/topics/a?since=%zz", "/api/logs?follow=true&service=%zz"})
    void aQueryThatIsNotValidlyPercentEncodedIsABadRequestNotAServerError(String pathAndQuery) {
        // Sent over a raw socket: the JDK's HTTP client refuses to send a malformed URI at all.
        try (EventStreamClient r = EventStreamClient.connect(pathAndQuery, Format.NDJSON, null, 0)) {
            int status = r.status();
            String body = r.bodyText();
            assertEquals(400, status, body);
            assertTrue(r.header("Content-Type").startsWith("application/problem+json"), r.header("Content-Type"));
            assertEquals("urn:rivulet:problem:invalid-parameter", HubServer.json(body).asJsonObject().getString("type"));
        }
    }

    @Test
    void aRawLineBreakInsideAJsonStringIsRefusedAndNothingIsDelivered() {
        assertRefusedAndNothingDelivered(null, "{\"text\":\"one\r\nevent: evil\r\ndata: x\"}", "invalid-json");
    }

    @Test
    void textAfterTheJsonValueIsRefusedAndNothingIsDelivered() {
        assertRefusedAndNothingDelivered(null, "{\"a\":1}\r\n\r\nevent: evil\r\ndata: {\"forged\":true}\r\n\r\n",
                "invalid-json");
    }

    @Test
    void aBodyThatIsNotJsonContentIsRefusedWith415() {
        String topic = TopicNames.unique("inject-415");
        HttpResponse<String> response = HubServer.post("/api/topics/" + topic, "text/plain",
                "hello\n\nevent: evil\ndata: x\n\n");
        assertEquals(415, response.statusCode(), response.body());
        assertProblem(response, 415, "unsupported-media-type");
    }

    /**
     * Publishes the refused request to a subscribed topic and checks the answer is a problem, and
     * that the subscribers' next message, on both transports, is the event published after it.
     */
    private static void assertRefusedAndNothingDelivered(String rawQuery, String body, String slug) {
        String topic = TopicNames.unique("inject-refused");
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + topic, Format.SSE);
             EventStreamClient ndjson = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON)) {

            HttpResponse<String> refused = HubServer.publishRaw(topic, rawQuery, body);

            assertEquals(400, refused.statusCode(), () -> "expected a refusal, got " + refused.body());
            assertProblem(refused, 400, slug);
            assertFalse(refused.body().contains("evil"), "a problem must not echo the input: " + refused.body());

            Published after = HubServer.publish(topic, "after", "{\"after\":true}");
            assertEquals(2, after.deliveredTo());
            List<StreamMessage> viaSse = sse.readThrough(after.id(), WITHIN);
            assertEquals(1, viaSse.size(), () -> "nothing may be delivered for the refused publish: " + viaSse);
            assertEquals(List.of("id: " + after.id(), "event: after", "data: {\"after\":true}"), viaSse.get(0).lines());
            List<StreamMessage> viaNdjson = ndjson.readThrough(after.id(), WITHIN);
            assertEquals(1, viaNdjson.size(), () -> "nothing may be delivered for the refused publish: " + viaNdjson);
        }
    }

    private static void assertProblem(HttpResponse<String> response, int status, String slug) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/problem+json"), "Content-Type: " + contentType);
        JsonObject problem = HubServer.json(response.body()).asJsonObject();
        assertEquals("urn:rivulet:problem:" + slug, problem.getString("type"), response.body());
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
    }
}
