package dev.rivulet.it.mercure;

import static dev.rivulet.it.mercure.Mercure.enc;
import static dev.rivulet.it.mercure.Mercure.publish;
import static dev.rivulet.it.mercure.Mercure.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.StreamMessage;
import jakarta.json.JsonString;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Mercure is one more transport on the same hub: its publishes reach native streams and the other way round. */
class MercureCrossApiIT {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    private static String topic(String purpose) {
        return "https://example.com/" + TopicNames.unique("cross-" + purpose);
    }

    @Test
    void aMercurePublishReachesANativeNdjsonSubscriberAsAJsonString() {
        String t = topic("to-native");
        try (EventStreamClient nd = EventStreamClient.open("/api/topics/" + t, Format.NDJSON)) {
            publish("topic=" + enc(t) + "&data=" + enc("line 1\nline 2") + "&type=book");
            StreamMessage m = nd.nextMessage(WITHIN);
            assertEquals("book", m.type());
            assertEquals(t, m.topic());
            assertEquals("line 1\nline 2", ((JsonString) m.json()).getString(), "the text, as one JSON string");
        }
    }

    @Test
    void aMercurePublishToAnAlternateTopicReachesNativeSubscribersOfIt() {
        String canonical = topic("alt-canonical");
        String alternate = topic("alt-native");
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + alternate, Format.SSE)) {
            publish("topic=" + enc(canonical) + "&topic=" + enc(alternate) + "&data=x");
            assertEquals("\"x\"", sse.nextMessage(WITHIN).data());
        }
    }

    @Test
    void aNativePublishReachesAMercureSubscriberWithItsJsonAndTheHubsId() {
        String t = topic("to-mercure");
        try (MercureClient c = MercureClient.open(topics(t))) {
            assertEquals(200, c.status());
            HubServer.Published p = HubServer.publish(t, "greeting", "{\"text\":\"hello\"}");
            MercureClient.Frame f = c.nextEvent();
            assertEquals("{\"text\":\"hello\"}", f.data());
            assertEquals("greeting", f.type());
            assertEquals(f.id(), c.lastEventId());
            // The id resumes a Mercure stream after exactly that native event.
            HubServer.Published next = HubServer.publish(t, null, "2");
            try (MercureClient resumed = MercureClient.open(topics(t), "Last-Event-ID", f.id())) {
                MercureClient.Frame again = resumed.nextEvent();
                assertEquals("2", again.data());
                assertNull(again.type());
            }
            assertEquals(p.topic(), next.topic());
        }
    }
}
