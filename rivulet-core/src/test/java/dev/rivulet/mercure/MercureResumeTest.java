package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.TopicSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MercureResumeTest {

    private final Hub hub;

    MercureResumeTest() {
        HubConfig config = HubConfig.of(64, Overflow.DISCONNECT, 100, Duration.ofMinutes(10), 1024);
        hub = new Hub(new MemoryBroker(config), config);
    }

    private Event publish(String body) {
        return hub.publish(MercureUpdate.of(MercureForm.parse(body.getBytes(StandardCharsets.US_ASCII))).draft()).event();
    }

    private static List<TopicSelector> selectors(String s) {
        return List.of(TopicSelector.parse(s));
    }

    @Test
    void noIdStartsNow() {
        MercureResume r = MercureResume.of(hub, selectors("t"), null);
        assertNull(r.cursor());
        assertNull(r.requested());
    }

    @Test
    void theHubsIdNeedsNoLookUp() {
        Event e = publish("topic=t&data=x");
        MercureResume r = MercureResume.of(hub, selectors("elsewhere"), MercureId.of(e));
        assertEquals(e.id().toString(), r.cursor());
        assertTrue(r.found());
    }

    @Test
    void aPublishersIdIsFoundInHistory() {
        publish("topic=t&data=1&id=first");
        Event second = publish("topic=t&data=2&id=second");
        publish("topic=t&data=3&id=third");
        MercureResume r = MercureResume.of(hub, selectors("t"), "second");
        assertEquals(second.id().toString(), r.cursor());
        assertTrue(r.found());
    }

    @Test
    void aPublishersIdOnAnAlternateTopicIsFoundByItsSubscribers() {
        Event e = publish("topic=canonical&topic=alt&id=x1");
        assertEquals(e.id().toString(), MercureResume.of(hub, selectors("alt"), "x1").cursor());
    }

    @Test
    void earliestAndAnUnknownIdReplayEverythingRetained() {
        publish("topic=t&data=1");
        MercureResume earliest = MercureResume.of(hub, selectors("t"), "earliest");
        MercureResume unknown = MercureResume.of(hub, selectors("t"), "no-such-id");
        assertEquals("0", earliest.cursor());
        assertFalse(earliest.found());
        assertEquals("0", unknown.cursor());
        assertFalse(unknown.found());
    }
}
