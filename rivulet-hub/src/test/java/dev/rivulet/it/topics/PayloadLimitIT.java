package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** rivulet.publish.max-bytes (1 MiB by default) is the largest event a publisher can send. */
class PayloadLimitIT {

    private static final int MAX_BYTES = 1 << 20;
    private static final Duration WITHIN = Duration.ofSeconds(30);

    /** A JSON string of exactly {@code bytes} bytes. */
    private static String jsonOfBytes(int bytes) {
        return "\"" + "x".repeat(bytes - 2) + "\"";
    }

    @Test
    void aPublishPastTheLimitIs413AndNothingIsDeliveredWhileOneAtTheLimitGoesThrough() {
        String topic = TopicNames.unique("payload");
        double rejectedBefore = HubServer.metric(HubServer.metrics(), "rivulet_requests_rejected_total",
                "reason", "payload-too-large");
        try (EventStreamClient subscriber = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON)) {
            HttpResponse<String> tooLarge = HubServer.publishRaw(topic, null, jsonOfBytes(MAX_BYTES + 1));

            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            assertTrue(tooLarge.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonObject problem = HubServer.json(tooLarge.body()).asJsonObject();
            assertEquals("urn:rivulet:problem:payload-too-large", problem.getString("type"));
            assertEquals(413, problem.getInt("status"));
            assertTrue(problem.getString("detail").contains(Integer.toString(MAX_BYTES)), tooLarge.body());
            assertEquals(rejectedBefore + 1, HubServer.metric(HubServer.metrics(), "rivulet_requests_rejected_total",
                    "reason", "payload-too-large"));

            Published atLimit = HubServer.publish(topic, jsonOfBytes(MAX_BYTES));
            List<StreamMessage> received = subscriber.readThrough(atLimit.id(), WITHIN);
            assertEquals(1, received.size(), "only the event at the limit was delivered");
            assertEquals(MAX_BYTES, received.get(0).json().toString().length(), "the data arrives whole");
        }
    }
}
