package dev.rivulet.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An ordinary SSE subscriber on a topic of its own, there while others misbehave. Each
 * {@link #mark} publishes the next numbered event; {@link #assertReceivedEveryMark} checks that
 * it got all of them, in order, with strictly increasing ids: whatever happened meanwhile did not
 * cost it an event.
 */
final class Bystander implements AutoCloseable {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final String topic = TopicNames.unique("bystander");
    private final EventStreamClient stream = EventStreamClient.open("/api/topics/" + topic, Format.SSE);
    private final List<Published> marks = new ArrayList<>();

    /** Publishes the next numbered event. */
    void mark() {
        marks.add(HubServer.publish(topic, "mark", "{\"n\":" + marks.size() + "}"));
    }

    void assertReceivedEveryMark() {
        mark();
        List<StreamMessage> received = stream.readThrough(marks.get(marks.size() - 1).id(), WITHIN);
        assertEquals(marks.size(), received.size(), () -> "the bystander missed events or got others: " + received);
        long previous = -1;
        for (int i = 0; i < received.size(); i++) {
            StreamMessage m = received.get(i);
            assertTrue(m.isEvent(), () -> "not an event: " + m);
            assertEquals(marks.get(i).id(), m.id());
            long id = Long.parseLong(m.id());
            assertTrue(id > previous, "ids strictly increase");
            previous = id;
            assertEquals(i, m.json().asJsonObject().getInt("n"));
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
