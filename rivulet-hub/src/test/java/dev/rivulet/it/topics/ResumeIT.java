package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resuming a stream with {@code Last-Event-ID} or {@code ?since=}: catch-up from history, expired and unknown ids. */
class ResumeIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** The IT server's history bound per topic (the default). */
    private static final int HISTORY = 1000;
    private static final int PUBLISHERS = 4;

    private static String body(int i) {
        return "{\"n\":" + i + "}";
    }

    private static List<String> ids(List<Published> published) {
        return published.stream().map(Published::id).toList();
    }

    /** Every message up to the event {@code lastId}, which must all be events; answers their ids. */
    private static List<String> eventIdsThrough(EventStreamClient client, String lastId) {
        List<String> ids = new ArrayList<>();
        for (StreamMessage m : client.readThrough(lastId, WITHIN)) {
            assertEquals(StreamMessage.Kind.EVENT, m.kind(), () -> "unexpected message " + m);
            ids.add(m.id());
        }
        return ids;
    }

    @Test
    void aSubscriberCutOffResumesFromItsLastIdWithEveryEventOnceThenLiveEvents() {
        String topic = TopicNames.unique("resume");
        String lastSeen;
        try (EventStreamClient first = EventStreamClient.open("/api/topics/" + topic, Format.SSE)) {
            List<Published> early = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                early.add(HubServer.publish(topic, body(i)));
            }
            List<String> seen = eventIdsThrough(first, early.get(2).id());
            assertEquals(ids(early), seen);
            lastSeen = seen.get(seen.size() - 1);
        } // the connection is cut here

        List<Published> missed = HubServer.publishMany(topic, HISTORY, PUBLISHERS, ResumeIT::body);

        try (EventStreamClient resumed = EventStreamClient.open("/api/topics/" + topic, Format.SSE, lastSeen)) {
            assertEquals(lastSeen, resumed.opening(), "a resumed stream opens at the id it resumes after");

            assertEquals(ids(missed), eventIdsThrough(resumed, missed.get(missed.size() - 1).id()),
                    "each missed event exactly once, in id order");

            Published live = HubServer.publish(topic, "{\"live\":true}");
            StreamMessage next = resumed.nextMessage(WITHIN);
            assertNotNull(next, "the resumed stream ended instead of continuing live");
            assertEquals(live.id(), next.id());
            assertEquals(HubServer.json("{\"live\":true}"), next.json());
        }
    }

    @Test
    void aSubscriberCutOffBeforeAnyEventResumesFromItsOpeningCursor() {
        String topic = TopicNames.unique("resume-open");
        String cursor;
        EventStreamClient first = EventStreamClient.open("/api/topics/" + topic, Format.NDJSON);
        cursor = first.opening();
        first.abort();

        List<Published> meanwhile = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            meanwhile.add(HubServer.publish(topic, body(i)));
        }

        try (EventStreamClient resumed = EventStreamClient.open(
                "/api/topics/" + topic + "?since=" + cursor, Format.NDJSON)) {
            List<StreamMessage> received = resumed.readThrough(meanwhile.get(19).id(), WITHIN);
            List<String> receivedIds = new ArrayList<>();
            for (StreamMessage m : received) {
                assertEquals(StreamMessage.Kind.EVENT, m.kind(), () -> "unexpected message " + m);
                receivedIds.add(m.id());
            }
            assertEquals(ids(meanwhile), receivedIds);
            assertEquals(HubServer.json(body(0)), received.get(0).json());
            assertEquals(topic, received.get(0).topic());
        }
    }

    @Test
    void anIdOlderThanHistoryGetsAnExpiredGapThenTheOldestRetainedEvent() {
        String topic = TopicNames.unique("resume-expired");
        int overflow = 10;
        List<Published> all = HubServer.publishMany(topic, HISTORY + overflow, PUBLISHERS, ResumeIT::body);
        String firstId = all.get(0).id();
        List<Published> retained = all.subList(overflow, all.size());

        try (EventStreamClient resumed = EventStreamClient.open("/api/topics/" + topic, Format.SSE, firstId)) {
            StreamMessage gap = resumed.nextMessage(WITHIN);
            assertNotNull(gap, "the stream ended before the gap notice");
            assertEquals(StreamMessage.Kind.CONTROL, gap.kind(), gap.toString());
            assertEquals("gap", gap.type());
            assertEquals(HubServer.json("{\"since\":\"" + firstId + "\",\"reason\":\"expired\"}"), gap.json());
            assertEquals(List.of("event: gap", "data: " + gap.data()), gap.lines(), "a control event carries no id");

            StreamMessage oldest = resumed.nextMessage(WITHIN);
            assertNotNull(oldest);
            assertEquals(retained.get(0).id(), oldest.id(), "replay starts at the oldest retained event");
            List<String> rest = eventIdsThrough(resumed, retained.get(retained.size() - 1).id());
            assertEquals(ids(retained.subList(1, retained.size())), rest);
        }

        HttpResponse<String> history = HubServer.get("/api/topics/" + topic + "/history?since=" + firstId + "&limit=3");
        assertEquals(200, history.statusCode(), history.body());
        List<JsonObject> lines = history.body().lines().map(l -> HubServer.json(l).asJsonObject()).toList();
        assertEquals(4, lines.size(), "a gap line and 3 events: " + history.body());
        assertEquals("gap", lines.get(0).getString("type"));
        assertEquals("expired", lines.get(0).getJsonObject("data").getString("reason"));
        assertEquals(ids(retained.subList(0, 3)), lines.subList(1, 4).stream().map(o -> o.getString("id")).toList());
    }

    @Test
    void anIdThatIsNotOursGetsAnUnknownGapThenEveryRetainedEvent() {
        String topic = TopicNames.unique("resume-unknown");
        List<Published> retained = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            retained.add(HubServer.publish(topic, body(i)));
        }
        String last = retained.get(2).id();

        try (EventStreamClient garbage = EventStreamClient.open("/api/topics/" + topic, Format.SSE, "not-an-id")) {
            StreamMessage gap = garbage.nextMessage(WITHIN);
            assertNotNull(gap);
            assertEquals(StreamMessage.Kind.CONTROL, gap.kind(), gap.toString());
            assertEquals("gap", gap.type());
            assertEquals(HubServer.json("{\"since\":null,\"reason\":\"unknown\"}"), gap.json());
            assertEquals(ids(retained), eventIdsThrough(garbage, last));
        }

        String future = "999999999999999999";
        try (EventStreamClient ahead = EventStreamClient.open("/api/topics/" + topic + "?since=" + future, Format.NDJSON)) {
            StreamMessage gap = ahead.nextMessage(WITHIN);
            assertNotNull(gap);
            assertEquals(StreamMessage.Kind.CONTROL, gap.kind(), gap.toString());
            assertEquals("gap", gap.type());
            assertEquals(HubServer.json("{\"since\":\"" + future + "\",\"reason\":\"unknown\"}"), gap.json());
            assertEquals(ids(retained), eventIdsThrough(ahead, last));
        }
    }
}
