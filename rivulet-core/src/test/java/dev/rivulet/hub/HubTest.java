package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubTest {

    private static final Duration MAX_AGE = Duration.ofMinutes(10);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));

    private Hub hub(int historyMaxEvents) {
        HubConfig config = HubConfig.of(64, Overflow.DISCONNECT, historyMaxEvents, MAX_AGE, 1024);
        Hub hub = new Hub(new MemoryBroker(config, now::get), config);
        hub.connect();
        return hub;
    }

    private static List<TopicSelector> selectors(String... texts) {
        List<TopicSelector> out = new ArrayList<>();
        for (String t : texts) {
            out.add(TopicSelector.parse(t));
        }
        return out;
    }

    private static Subscriber subscribe(Hub hub, String lastEventId, String... selectors) {
        return hub.subscribe(Subscription.to(selectors(selectors), () -> { }).after(lastEventId));
    }

    private static Event publish(Hub hub, String topic, int n) {
        return hub.publish(topic, null, "{\"n\":" + n + "}", false).event();
    }

    private static List<Outbound> drain(Subscriber s) {
        List<Outbound> out = new ArrayList<>();
        for (Outbound o; (o = s.poll()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static JsonObject json(String text) {
        try (JsonReader r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    private static void assertGap(Outbound o, String reason) {
        ControlEvent gap = assertInstanceOf(ControlEvent.class, o);
        assertEquals("gap", gap.type());
        assertEquals(reason, json(gap.data()).getString("reason"));
    }

    // --- publishing ---

    @Test
    void publishStoresCompactJsonWithTheDefaultType() {
        Hub hub = hub(100);

        Event e = hub.publish("a", null, "{\n  \"price\": 1.5\r\n}", false).event();

        assertEquals("a", e.topic());
        assertEquals("message", e.type());
        assertEquals("{\"price\":1.5}", e.data());
    }

    @Test
    void publishWithoutSubscribersDeliversToNobody() {
        assertEquals(0, hub(100).publish("a", "tick", "1", false).deliveredTo());
    }

    @Test
    void deliveredToCountsOnlyMatchingSubscribers() {
        Hub hub = hub(100);
        subscribe(hub, null, "a");
        subscribe(hub, null, "*");
        subscribe(hub, null, "books/{id}");
        subscribe(hub, null, "b");

        assertEquals(2, hub.publish("a", null, "1", false).deliveredTo());
        assertEquals(2, hub.publish("books/1", null, "1", false).deliveredTo());
        assertEquals(1, hub.publish("books/1/reviews", null, "1", false).deliveredTo());
    }

    @Test
    void aPrivateEventReachesOnlySubscribersWhoseAccessCoversItsTopic() {
        Hub hub = hub(100);
        Subscriber anonymous = subscribe(hub, null, "books/1");
        Subscriber reader = hub.subscribe(Subscription.to(selectors("books/1"), () -> { })
                .seeing(selectors("books/{id}")));
        Subscriber otherReader = hub.subscribe(Subscription.to(selectors("books/1"), () -> { }).seeing(selectors("news")));

        Published secret = hub.publish("books/1", null, "{\"secret\":true}", true);
        Event open = publish(hub, "books/1", 2);

        assertEquals(1, secret.deliveredTo(), "only the reader with access counts");
        assertEquals(List.of(open), drain(anonymous));
        assertEquals(List.of(secret.event(), open), drain(reader));
        assertEquals(List.of(open), drain(otherReader));
    }

    @Test
    void aResumeReplaysPrivateEventsOnlyToReadersWithAccess() {
        Hub hub = hub(100);
        Event first = publish(hub, "a", 1);
        Event secret = hub.publish("a", null, "{}", true).event();
        Event last = publish(hub, "a", 3);
        String since = first.id().toString();

        assertEquals(List.of(last), drain(subscribe(hub, since, "a")));
        assertEquals(List.of(secret, last),
                drain(hub.subscribe(Subscription.to(selectors("a"), () -> { }).seeing(selectors("*")).after(since))));
    }

    @Test
    void historyLeavesOutPrivateEventsAndItsLimitCountsWhatTheReaderSees() {
        Hub hub = hub(100);
        hub.publish("a", null, "{}", true);
        Event one = publish(hub, "a", 1);
        hub.publish("a", null, "{}", true);
        Event two = publish(hub, "a", 2);

        assertEquals(List.of(one, two), hub.history("a", List.of(), null, 2));
        assertEquals(4, hub.history("a", selectors("a"), null, 10).size());
    }

    @Test
    void subscriberWithOverlappingSelectorsGetsEachEventOnce() {
        Hub hub = hub(100);
        Subscriber s = subscribe(hub, null, "a", "*");

        Event a = publish(hub, "a", 1);
        Event b = publish(hub, "b", 2);

        assertEquals(List.of(a, b), drain(s));
        assertEquals(1, hub.publish("a", null, "3", false).deliveredTo(), "counted once too");
        assertEquals(1, hub.subscriberCount("a"));
    }

    @Test
    void liveStreamWithoutLastEventIdStartsNow() {
        Hub hub = hub(100);
        publish(hub, "a", 1);
        Subscriber s = subscribe(hub, null, "a");

        Event live = publish(hub, "a", 2);

        assertEquals(List.of(live), drain(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "*", "books/{id}", "x\u0000"})
    void publishRejectsAnInvalidTopic(String topic) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> hub(100).publish(topic, null, "1", false));
        assertEquals("invalid-topic", e.problem());
    }

    @Test
    void publishRejectsAMissingTopic() {
        assertThrows(InvalidInputException.class, () -> hub(100).publish(null, null, "1", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two words", "gap", "lagged"})
    void publishRejectsAnInvalidType(String type) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> hub(100).publish("a", type, "1", false));
        assertEquals("invalid-type", e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "not json"})
    void publishRejectsInvalidJson(String data) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> hub(100).publish("a", null, data, false));
        assertEquals("invalid-json", e.problem());
    }

    @Test
    void publishRejectsMissingData() {
        assertThrows(InvalidInputException.class, () -> hub(100).publish("a", null, null, false));
    }

    @Test
    void rejectedPublishStoresNothing() {
        Hub hub = hub(100);
        assertThrows(InvalidInputException.class, () -> hub.publish("a", null, "{", false));

        assertEquals(List.of(), hub.topics());
    }

    @Test
    void dataUpToTheByteLimitIsAccepted() {
        String data = "\"" + "x".repeat(1022) + "\"";
        assertEquals(1024, data.length());

        assertEquals(data, hub(100).publish("a", null, data, false).event().data());
    }

    @Test
    void dataOverTheByteLimitIsRejected() {
        String data = "\"" + "x".repeat(1023) + "\"";

        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
                () -> hub(100).publish("a", null, data, false));
        assertEquals("payload-too-large", e.problem());
    }

    @Test
    void byteLimitCountsUtf8BytesNotCharacters() {
        // 341 three-byte characters + 2 quotes = 343 characters but 1025 bytes.
        String data = "\"" + "€".repeat(341) + "\"";

        assertThrows(PayloadTooLargeException.class, () -> hub(100).publish("a", null, data, false));
    }

    // --- resuming ---

    @Test
    void resumeReplaysEveryRetainedEventAfterTheIdOnceInOrderThenLiveEvents() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);
        Event b1 = publish(hub, "b", 2);
        Event a2 = publish(hub, "a", 3);
        Event a3 = publish(hub, "a", 4);

        Subscriber s = subscribe(hub, a1.id().toString(), "a");
        Event a4 = publish(hub, "a", 5);
        publish(hub, "b", 6);

        assertEquals(List.of(a2, a3, a4), drain(s));
        assertEquals(a1.id(), s.opening());
        assertTrue(b1.id().isAfter(a1.id()));
    }

    @Test
    void resumeAcrossTopicsMergesHistoryInIdOrder() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);
        Event b1 = publish(hub, "b", 2);
        Event a2 = publish(hub, "a", 3);
        Event b2 = publish(hub, "b", 4);

        Subscriber s = subscribe(hub, a1.id().toString(), "a", "b");

        assertEquals(List.of(b1, a2, b2), drain(s));
    }

    @Test
    void resumeFromTheLatestIdReplaysNothingAndSendsNoGap() {
        Hub hub = hub(100);
        publish(hub, "a", 1);
        Event last = publish(hub, "a", 2);

        Subscriber s = subscribe(hub, last.id().toString(), "a");
        Event live = publish(hub, "a", 3);

        assertEquals(List.of(live), drain(s));
    }

    @Test
    void clientThatSawNothingResumesFromItsOpeningWithoutLoss() {
        Hub hub = hub(100);
        Subscriber first = subscribe(hub, null, "a");
        first.close(Subscriber.CloseReason.CLIENT_GONE);
        Event missed1 = publish(hub, "a", 1);
        Event missed2 = publish(hub, "a", 2);

        Subscriber again = subscribe(hub, first.opening().toString(), "a");

        assertEquals(List.of(missed1, missed2), drain(again));
    }

    @Test
    void garbageIdYieldsUnknownGapThenTheOldestRetainedEvent() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);
        Event a2 = publish(hub, "a", 2);

        List<Outbound> out = drain(subscribe(hub, "not-an-id", "a"));

        assertGap(out.get(0), "unknown");
        assertEquals(List.of(a1, a2), out.subList(1, out.size()));
    }

    @Test
    void idNewerThanAnythingPublishedYieldsUnknownGapThenTheOldestRetainedEvent() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);
        Event a2 = publish(hub, "a", 2);
        String future = Long.toString(a2.id().position() + 1_000_000);

        List<Outbound> out = drain(subscribe(hub, future, "a"));

        assertGap(out.get(0), "unknown");
        assertEquals(future, json(((ControlEvent) out.get(0)).data()).getString("since"));
        assertEquals(List.of(a1, a2), out.subList(1, out.size()));
    }

    @Test
    void unknownIdResumeIsFollowedByLiveEventsWithoutDuplicates() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);

        Subscriber s = subscribe(hub, "garbage", "a");
        Event a2 = publish(hub, "a", 2);

        List<Outbound> out = drain(s);
        assertGap(out.get(0), "unknown");
        assertEquals(List.of(a1, a2), out.subList(1, out.size()));
    }

    @Test
    void idTooLongIsRejected() {
        Hub hub = hub(100);
        assertThrows(InvalidInputException.class, () -> subscribe(hub, "1".repeat(Cursor.MAX_LENGTH + 1), "a"));
    }

    @Test
    void idOlderThanHistoryYieldsExpiredGapThenTheOldestRetainedEvent() {
        Hub hub = hub(3);
        Event a1 = publish(hub, "a", 1);
        publish(hub, "a", 2);
        Event a3 = publish(hub, "a", 3);
        Event a4 = publish(hub, "a", 4);
        Event a5 = publish(hub, "a", 5);

        List<Outbound> out = drain(subscribe(hub, a1.id().toString(), "a"));

        assertGap(out.get(0), "expired");
        assertEquals(a1.id().toString(), json(((ControlEvent) out.get(0)).data()).getString("since"));
        assertEquals(List.of(a3, a4, a5), out.subList(1, out.size()));
    }

    @Test
    void idOfTheNewestDroppedEventResumesWithoutGap() {
        Hub hub = hub(3);
        publish(hub, "a", 1);
        Event a2 = publish(hub, "a", 2);
        Event a3 = publish(hub, "a", 3);
        Event a4 = publish(hub, "a", 4);
        Event a5 = publish(hub, "a", 5);

        assertEquals(List.of(a3, a4, a5), drain(subscribe(hub, a2.id().toString(), "a")));
    }

    @Test
    void idFromBeforeTheHubStartedYieldsExpiredGap() {
        Hub hub = hub(100);
        Event a1 = publish(hub, "a", 1);

        List<Outbound> out = drain(subscribe(hub, "1", "a"));

        assertGap(out.get(0), "expired");
        assertEquals(List.of(a1), out.subList(1, out.size()));
    }

    // --- subscriptions and topics ---

    @Test
    void subscribingWithoutSelectorsIsRejected() {
        Hub hub = hub(100);
        assertThrows(InvalidInputException.class, () -> hub.subscribe(Subscription.to(List.of(), () -> { })));
    }

    @Test
    void closedSubscriberIsNoLongerCountedOrListed() {
        Hub hub = hub(100);
        Subscriber exact = subscribe(hub, null, "x");
        Subscriber pattern = subscribe(hub, null, "*");
        assertEquals(2, hub.subscriberCount());
        assertEquals(2, hub.subscriberCount("x"));
        assertEquals(List.of(new TopicInfo("x", 2, null, 0)), hub.topics());

        exact.close(Subscriber.CloseReason.CLIENT_GONE);

        assertEquals(1, hub.subscriberCount());
        assertEquals(1, hub.subscriberCount("x"));
        assertEquals(List.of(), hub.topics(), "a topic with no exact subscriber and no history is forgotten");

        pattern.close(Subscriber.CloseReason.CLIENT_GONE);

        assertEquals(0, hub.subscriberCount());
        assertEquals(0, hub.subscriberCount("x"));
        assertEquals(0, hub.publish("x", null, "1", false).deliveredTo());
    }

    @Test
    void slowSubscriberDisconnectedByTheHubIsNoLongerCounted() {
        HubConfig config = HubConfig.of(1, Overflow.DISCONNECT, 100, MAX_AGE, 1024);
        Hub hub = new Hub(new MemoryBroker(config, now::get), config);
        hub.connect();
        Subscriber s = subscribe(hub, null, "a");

        publish(hub, "a", 1);
        publish(hub, "a", 2);

        assertEquals(Subscriber.CloseReason.SLOW, s.closeReason());
        assertEquals(0, hub.subscriberCount());
    }

    @Test
    void topicAppearsWhenFirstPublished() {
        Hub hub = hub(100);
        publish(hub, "b", 1);
        Event a = publish(hub, "a", 2);
        Event last = publish(hub, "a", 3);

        List<TopicInfo> topics = hub.topics();

        assertEquals(List.of("a", "b"), topics.stream().map(TopicInfo::topic).toList());
        assertEquals(new TopicInfo("a", 0, last.id(), 2), topics.get(0));
        assertTrue(last.id().isAfter(a.id()));
    }

    @Test
    void topicIsForgottenWhenHistoryAgesOutAndNobodySubscribes() {
        Hub hub = hub(100);
        publish(hub, "a", 1);
        now.set(now.get().plus(MAX_AGE).minusSeconds(1));
        assertEquals(1, hub.topics().size(), "still within the history's age");

        now.set(now.get().plusSeconds(2));

        assertEquals(List.of(), hub.topics());
    }

    @Test
    void topicWithASubscriberIsKeptAfterHistoryAgesOut() {
        Hub hub = hub(100);
        Subscriber s = subscribe(hub, null, "a");
        publish(hub, "a", 1);
        now.set(now.get().plus(MAX_AGE).plusSeconds(1));

        assertEquals(List.of(new TopicInfo("a", 1, null, 0)), hub.topics());

        s.close(Subscriber.CloseReason.CLIENT_GONE);
        assertEquals(List.of(), hub.topics());
    }

    @Test
    void resumeAfterHistoryAgedOutYieldsExpiredGap() {
        Hub hub = hub(100);
        Event old = publish(hub, "a", 1);
        publish(hub, "a", 2);
        now.set(now.get().plus(MAX_AGE).plusSeconds(1));
        Event fresh = publish(hub, "a", 3);

        List<Outbound> out = drain(subscribe(hub, old.id().toString(), "a"));

        assertGap(out.get(0), "expired");
        assertEquals(List.of(fresh), out.subList(1, out.size()));
    }

    // --- draining and what the hub reports ---

    @Test
    void aDrainingHubRefusesPublishesWithTheRetryAfterItWasGiven() {
        Hub hub = hub(100);
        Subscriber s = subscribe(hub, null, "t");
        publish(hub, "t", 1);

        assertTrue(hub.stopAccepting(Duration.ofSeconds(7), Duration.ofSeconds(1)));

        assertFalse(hub.accepting());
        DrainingException e = assertThrows(DrainingException.class, () -> publish(hub, "t", 2));
        assertEquals(Duration.ofSeconds(7), e.retryAfter());
        assertEquals(1, drain(s).size(), "the event accepted before the drain is still delivered");
    }

    @Test
    void aDrainWaitsForPublishesUnderWay() throws Exception {
        HubConfig config = HubConfig.of(64, Overflow.DISCONNECT, 100, MAX_AGE, 1024);
        CountDownLatch inBroker = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MemoryBroker slowBroker = new MemoryBroker(config, now::get) {
            @Override
            public Published publish(Draft draft) {
                inBroker.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.publish(draft);
            }
        };
        Hub hub = new Hub(slowBroker, config);
        hub.connect();
        Thread publisher = new Thread(() -> publish(hub, "t", 1));
        publisher.start();
        assertTrue(inBroker.await(5, TimeUnit.SECONDS));

        assertFalse(hub.stopAccepting(Duration.ofSeconds(1), Duration.ofMillis(50)),
                "a publish is under way: the drain may not report quiet");
        release.countDown();
        publisher.join(5000);
        assertTrue(hub.stopAccepting(Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }

    @Test
    void publishesAndResumesAreReported() {
        HubConfig config = HubConfig.of(64, Overflow.DISCONNECT, 2, MAX_AGE, 1024);
        RecordingTraffic traffic = new RecordingTraffic();
        Hub hub = new Hub(new MemoryBroker(config, now::get), config, traffic);
        hub.connect();
        Event first = publish(hub, "t", 1);
        publish(hub, "t", 2);
        publish(hub, "t", 3);

        subscribe(hub, publish(hub, "t", 4).id().toString(), "t");
        subscribe(hub, first.id().toString(), "t");
        subscribe(hub, "not-an-id", "t");
        subscribe(hub, null, "t");

        assertEquals(4, traffic.count("published"));
        assertEquals(1, traffic.count("resumed:history"));
        assertEquals(2, traffic.count("resumed:gap"), "one id older than history, one unknown");
    }

    @Test
    void topicCountCountsRetainedAndSubscribedTopicsOnce() {
        Hub hub = hub(100);
        publish(hub, "a", 1);
        subscribe(hub, null, "a");
        subscribe(hub, null, "b");
        subscribe(hub, null, "books/{id}");

        assertEquals(2, hub.topicCount());
        assertEquals(hub.topics().size(), hub.topicCount());
    }
}
