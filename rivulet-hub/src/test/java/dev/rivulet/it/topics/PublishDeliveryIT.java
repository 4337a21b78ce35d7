package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publishing over HTTP and delivery to live subscribers on both stream formats. */
class PublishDeliveryIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Test
    void onePublishReachesAnSseAndAnNdjsonSubscriberAlike() {
        String topic = TopicNames.unique("delivery");
        String data = "{\"greeting\":\"hello\",\"n\":42,\"nested\":{\"list\":[1,2.5,true,null],\"text\":\"é ✓\"}}";
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + topic, Format.SSE);
             EventStreamClient ndjson = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON)) {

            assertTrue(sse.header("Content-Type").startsWith("text/event-stream"), sse.header("Content-Type"));
            assertEquals("no-cache", sse.header("Cache-Control"));
            assertEquals("no", sse.header("X-Accel-Buffering"));
            assertEquals("chunked", sse.header("Transfer-Encoding"));
            assertTrue(ndjson.header("Content-Type").startsWith("application/x-ndjson"), ndjson.header("Content-Type"));
            assertTrue(sse.opening().matches("[0-9]+"), "SSE opening cursor: " + sse.opening());
            assertTrue(ndjson.opening().matches("[0-9]+"), "NDJSON opening cursor: " + ndjson.opening());

            Published published = HubServer.publish(topic, "greeting", data);

            assertEquals(topic, published.topic());
            assertEquals("greeting", published.type());
            assertEquals(2, published.deliveredTo(), "both subscribers should have been handed the event");
            assertTrue(published.position() > Long.parseLong(sse.opening()),
                    "the event id must be after the cursor the stream opened with");

            StreamMessage viaSse = sse.nextMessage(WITHIN);
            assertNotNull(viaSse, "the SSE stream ended instead of delivering the event");
            assertEquals(StreamMessage.Kind.EVENT, viaSse.kind(), viaSse.toString());
            assertEquals(published.id(), viaSse.id());
            assertEquals("greeting", viaSse.type());
            assertEquals(HubServer.json(data), viaSse.json());
            assertEquals(List.of("id: " + published.id(), "event: greeting",
                    "data: " + HubServer.json(data)), viaSse.lines(), "SSE frame as sent");

            StreamMessage viaNdjson = ndjson.nextMessage(WITHIN);
            assertNotNull(viaNdjson, "the NDJSON stream ended instead of delivering the event");
            assertEquals(StreamMessage.Kind.EVENT, viaNdjson.kind(), viaNdjson.toString());
            assertEquals(published.id(), viaNdjson.id());
            assertEquals("greeting", viaNdjson.type());
            assertEquals(topic, viaNdjson.topic());
            assertEquals(HubServer.json(data), viaNdjson.json());
            JsonObject envelope = HubServer.json(viaNdjson.lines().get(0)).asJsonObject();
            Instant time = Instant.parse(envelope.getString("time"));
            assertTrue(Duration.between(time, Instant.now()).abs().compareTo(Duration.ofMinutes(5)) < 0,
                    "event time should be about now: " + time);
        }
    }

    @Test
    void aPublishNobodyListensToIsAnsweredAndListedWithItsId() {
        String topic = TopicNames.unique("unheard");

        Published published = HubServer.publish(topic, "{\"alone\":true}");

        assertEquals(0, published.deliveredTo());
        assertEquals("message", published.type(), "an event published without ?type= has the default type");
        JsonObject listed = HubServer.topics().get(topic);
        assertNotNull(listed, "GET /api/topics does not list " + topic);
        assertEquals(published.id(), listed.getString("last_id"));
        assertEquals(1, listed.getInt("retained"));
        assertEquals(0, listed.getInt("subscribers"));
    }

    @Test
    void aTopicWithSlashesAndAColonIsPublishedAndSubscribedAsWritten() {
        String topic = "https://example.com/" + TopicNames.unique("delivery") + "/books/1";
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + topic, Format.SSE)) {

            Published published = HubServer.publish(topic, "{\"title\":\"Dune\"}");

            assertEquals(topic, published.topic());
            assertEquals(1, published.deliveredTo());
            StreamMessage m = sse.nextMessage(WITHIN);
            assertNotNull(m);
            assertEquals(published.id(), m.id());
            assertEquals(published.id(), HubServer.topics().get(topic).getString("last_id"));
        }
    }
}
