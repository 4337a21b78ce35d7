package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events with alternate topics (Mercure's) reach subscribers of those topics, live and on resume, once each. */
class AlternateTopicTest {

    private Hub hub() {
        HubConfig config = HubConfig.of(64, Overflow.DISCONNECT, 100, Duration.ofMinutes(10), 1024);
        Hub hub = new Hub(new MemoryBroker(config, () -> Instant.parse("2025-01-01T00:00:00Z")), config);
        hub.connect();
        return hub;
    }

    private static Subscriber subscribe(Hub hub, String lastEventId, String... selectors) {
        List<TopicSelector> parsed = new ArrayList<>();
        for (String s : selectors) {
            parsed.add(TopicSelector.parse(s));
        }
        return hub.subscribe(Subscription.to(parsed, () -> { }).after(lastEventId));
    }

    private static Event publish(Hub hub, String topic, String... alternates) {
        return hub.publish(new Draft(topic, null, "{}", false, new EventMeta(null, List.of(alternates), 0, false))).event();
    }

    private static List<Event> events(Subscriber s) {
        List<Event> out = new ArrayList<>();
        for (Outbound o; (o = s.poll()) != null; ) {
            if (o instanceof Event e) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void anAlternateTopicReachesItsExactAndTemplateSubscribersOnce() {
        Hub hub = hub();
        Subscriber exact = subscribe(hub, null, "alt");
        Subscriber template = subscribe(hub, null, "users/{id}");
        Subscriber both = subscribe(hub, null, "canonical", "alt");
        Subscriber neither = subscribe(hub, null, "other");

        Published p = hub.publish(new Draft("canonical", null, "{}", false, new EventMeta(null, List.of("alt", "users/7"), 0, false)));

        assertEquals(3, p.deliveredTo(), "each subscriber counts once");
        assertEquals(List.of(p.event()), events(exact));
        assertEquals(List.of(p.event()), events(template));
        assertEquals(List.of(p.event()), events(both));
        assertEquals(List.of(), events(neither));
    }

    @Test
    void aResumeReplaysEventsThatMatchOnlyByAnAlternateTopic() {
        Hub hub = hub();
        Event before = publish(hub, "x");
        Event viaAlternate = publish(hub, "canonical", "alt");
        publish(hub, "unrelated");
        Event direct = publish(hub, "alt");

        Subscriber s = subscribe(hub, before.id().toString(), "alt");

        assertEquals(List.of(viaAlternate, direct), events(s));
        assertFalse(s.resumedAfterGap());
    }

    @Test
    void anAlternateTopicIsCheckedLikeATopic() {
        Hub hub = hub();
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> publish(hub, "ok", "bad\u0001"));
        assertEquals("invalid-topic", e.problem());
    }

    @Test
    void aResumeFromAnUnknownIdSaysItStartedAfterAGap() {
        Hub hub = hub();
        publish(hub, "t");
        Subscriber s = subscribe(hub, "not-ours", "t");
        ControlEvent gap = assertInstanceOf(ControlEvent.class, s.poll());
        assertEquals("gap", gap.type());
        assertTrue(s.resumedAfterGap());
    }
}
