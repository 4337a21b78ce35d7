package dev.rivulet.it.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.poll.PollClient.Answer;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/poll}: answers at once from history, waits for the next event otherwise, and
 * shares its cursor with the streams, so a client moves between them losing and repeating nothing.
 */
class LongPollIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static double longPolls() {
        return HubServer.metric(HubServer.metrics(), "rivulet_connections", "transport", "longpoll");
    }

    @Test
    void aLoopOfPollsReceivesEveryEventPublishedMeanwhileOnceAndInOrder() throws Exception {
        String topic = TopicNames.unique("poll-loop");
        String start = PollClient.now(topic);
        double deliveredBefore = HubServer.counter(HubServer.metrics(), "rivulet_events_delivered_total",
                "transport", "longpoll");
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try {
            Future<List<String>> received = poller.submit(() -> {
                List<String> ids = new ArrayList<>();
                String next = start;
                while (ids.size() < 1000) {
                    Answer a = PollClient.poll(topic, "since=" + next + "&timeout=10&limit=100");
                    assertTrue(a.events().size() <= 100, "an answer holds at most limit events");
                    ids.addAll(a.ids());
                    if (a.ids().isEmpty()) {
                        assertEquals(next, a.next(), "an empty answer keeps the cursor");
                    } else {
                        assertEquals(a.ids().getLast(), a.next(), "next is the last event's id");
                    }
                    next = a.next();
                }
                return ids;
            });
            List<Published> published = HubServer.publishMany(topic, 1000, 4, i -> "{\"n\":" + i + "}");
            List<String> ids = received.get(2, TimeUnit.MINUTES);
            assertEquals(published.stream().map(Published::id).toList(), ids, "every event once, in id order");
        } finally {
            poller.shutdownNow();
        }
        double deliveredAfter = HubServer.counter(HubServer.metrics(), "rivulet_events_delivered_total",
                "transport", "longpoll");
        assertTrue(deliveredAfter - deliveredBefore >= 1000, "deliveries are counted under transport longpoll");
    }

    @Test
    void aWaitingPollWakesOnAPublishWithThatEvent() throws Exception {
        String topic = TopicNames.unique("poll-wake");
        String since = PollClient.now(topic);
        double before = longPolls();
        CompletableFuture<HttpResponse<String>> waiting = PollClient.pollAsync(HubServer.HTTP, topic,
                "since=" + since + "&timeout=100");
        Poll.until("the poll to wait as a longpoll connection", WITHIN, LongPollIT::longPolls, n -> n >= before + 1);
        assertFalse(waiting.isDone(), "with nothing after its cursor a poll waits");
        Published p = HubServer.publish(topic, "greeting", "{\"text\":\"hello\"}");
        Answer a = Answer.of(waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS));
        assertEquals(List.of(p.id()), a.ids());
        JsonObject e = a.events().getFirst();
        assertEquals(topic, e.getString("topic"));
        assertEquals("greeting", e.getString("type"));
        assertEquals("hello", e.getJsonObject("data").getString("text"));
        assertTrue(e.containsKey("time"), "the envelope is the NDJSON stream's: " + e);
        assertEquals(p.id(), a.next());
        Poll.until("the answered poll to leave the connection count", WITHIN, LongPollIT::longPolls, n -> n <= before);
    }

    @Test
    void aPollWithoutACursorWaitsForTheNextEvent() throws Exception {
        String topic = TopicNames.unique("poll-now");
        HubServer.publish(topic, "{\"old\":true}");
        double before = longPolls();
        CompletableFuture<HttpResponse<String>> waiting = PollClient.pollAsync(HubServer.HTTP, topic, "timeout=100");
        Poll.until("the poll to wait", WITHIN, LongPollIT::longPolls, n -> n >= before + 1);
        Published p = HubServer.publish(topic, "{\"old\":false}");
        assertEquals(List.of(p.id()), Answer.of(waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS)).ids(),
                "no cursor means from now: what was published before is not in the answer");
    }

    @Test
    void aTimedOutPollAnswersEmptyWithTheSameNext() {
        String topic = TopicNames.unique("poll-timeout");
        Published p = HubServer.publish(topic, "{}");
        Answer a = PollClient.poll(topic, "since=" + p.id() + "&timeout=1");
        assertEquals(List.of(), a.events());
        assertEquals(p.id(), a.next());
    }

    @Test
    void retainedEventsAnswerAtOnceUpToTheLimit() {
        String topic = TopicNames.unique("poll-history");
        String since = PollClient.now(topic);
        List<Published> published = HubServer.publishMany(topic, 5, 1, i -> "{\"n\":" + i + "}");
        // timeout at its largest: the answer still comes at once, since history has events after the cursor.
        Answer first = PollClient.poll(topic, "since=" + since + "&timeout=120&limit=1");
        assertEquals(List.of(published.get(0).id()), first.ids(), "limit=1 answers one event");
        Answer rest = PollClient.poll(topic, "since=" + first.next() + "&timeout=120&limit=1000");
        assertEquals(published.subList(1, 5).stream().map(Published::id).toList(), rest.ids());
    }

    @Test
    void switchingFromLongPollingToSseLosesAndRepeatsNothing() {
        String topic = TopicNames.unique("poll-switch");
        String since = PollClient.now(topic);
        List<Published> before = HubServer.publishMany(topic, 10, 1, i -> "{\"n\":" + i + "}");
        Answer a = PollClient.poll(topic, "since=" + since + "&limit=4");
        assertEquals(before.subList(0, 4).stream().map(Published::id).toList(), a.ids());
        try (EventStreamClient sse = EventStreamClient.open("/api/topics/" + topic, EventStreamClient.Format.SSE, a.next())) {
            List<Published> after = HubServer.publishMany(topic, 5, 1, i -> "{\"n\":" + (10 + i) + "}");
            List<String> ids = sse.readThrough(after.getLast().id(), WITHIN).stream()
                    .filter(StreamMessage::isEvent).map(StreamMessage::id).toList();
            List<String> expected = new ArrayList<>(before.subList(4, 10).stream().map(Published::id).toList());
            expected.addAll(after.stream().map(Published::id).toList());
            assertEquals(expected, ids, "the SSE stream goes on exactly where the poll's next left off");
        }
    }

    @Test
    void aCursorThatIsNotOursAnswersAGapAndTheRetainedEvents() {
        String topic = TopicNames.unique("poll-gap");
        Published p = HubServer.publish(topic, "{}");
        Answer a = PollClient.poll(topic, "since=not-an-id&timeout=0");
        assertEquals("gap", a.events().getFirst().getString("type"));
        assertEquals("unknown", a.events().getFirst().getJsonObject("data").getString("reason"));
        assertEquals(List.of(p.id()), a.ids());
        assertEquals(p.id(), a.next());
    }

    @Test
    void privateEventsReachOnlyATokenThatCoversThem() {
        String topic = TopicNames.unique("poll-private");
        String since = PollClient.now(topic);
        HttpResponse<String> r = HubServer.publishRaw(topic, "private=true", "{\"secret\":1}");
        assertEquals(200, r.statusCode(), r.body());
        Published open = HubServer.publish(topic, "{\"secret\":0}");
        Answer anonymous = Answer.of(HubServer.send(PollClient.request(topic, "since=" + since + "&timeout=0", false)));
        assertEquals(List.of(open.id()), anonymous.ids(), "an anonymous poll sees only the public event");
        Answer withToken = PollClient.poll(topic, "since=" + since + "&timeout=0");
        assertEquals(2, withToken.ids().size(), "the token's subscribe claim covers the private event");
    }

    @Test
    void badParametersAreProblems() {
        String topic = TopicNames.unique("poll-bad");
        HubServer.assertProblem(HubServer.get("/api/poll"), 400, "invalid-selector");
        HubServer.assertProblem(HubServer.get("/api/poll?topic=a%7Bb"), 400, "invalid-selector");
        for (String timeout : List.of("121", "-1", "1.5", "abc", "", "9999999999")) {
            HubServer.assertProblem(HubServer.get(PollClient.path(topic, "timeout=" + timeout)), 400, "invalid-timeout");
        }
        for (String limit : List.of("0", "1001", "-1", "ten", "")) {
            HubServer.assertProblem(HubServer.get(PollClient.path(topic, "limit=" + limit)), 400, "invalid-limit");
        }
        HubServer.assertProblem(HubServer.get(PollClient.path(topic, "since=%01")), 400, "invalid-id");
        HubServer.assertProblem(HubServer.get(PollClient.path(topic, "since=" + "1".repeat(65))), 400, "invalid-id");
        HubServer.assertProblem(HubServer.get(PollClient.path(topic, "timeout=1&timeout=2")), 400, "invalid-parameter");
        HubServer.assertProblem(HubServer.post(PollClient.path(topic, ""), "application/json", "{}"), 405,
                "method-not-allowed");
        HubServer.assertProblem(HubServer.request("GET", PollClient.path(topic, "timeout=0"), null,
                "Authorization", "Bearer not.a.token"), 401, "invalid-token");
    }
}
