package dev.rivulet.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Grant;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.TopicSelector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MercureUpdateTest {

    private static MercureUpdate update(String body) {
        return MercureUpdate.of(MercureForm.parse(body.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void everyFieldIsRead() {
        MercureUpdate u = update("topic=a&topic=b&topic=c&data=x%0Ay&private=on&id=rev-1&type=book&retry=1500");
        assertEquals(List.of("a", "b", "c"), u.topics());
        Draft d = u.draft();
        assertEquals("a", d.topic());
        assertEquals(List.of("b", "c"), d.meta().alternates());
        assertEquals("\"x\\ny\"", d.data(), "the text is kept as one JSON string");
        assertTrue(d.meta().text());
        assertTrue(d.privateEvent());
        assertEquals("rev-1", d.meta().id());
        assertEquals("book", d.type());
        assertEquals(1500, d.meta().retryMillis());
    }

    @Test
    void theDefaultsAreAPublicMessageWithEmptyDataAndTheHubsId() {
        Draft d = update("topic=a").draft();
        assertEquals("\"\"", d.data());
        assertFalse(d.privateEvent());
        assertNull(d.meta().id());
        assertEquals("message", d.type());
        assertEquals(0, d.meta().retryMillis());
    }

    @Test
    void privateIsSetByAnyValueAsTheSpecSays() {
        assertTrue(update("topic=a&private=").privateEvent());
        assertTrue(update("topic=a&private=off").privateEvent());
    }

    @Test
    void aPublishNeedsATopic() {
        assertEquals("invalid-topic", assertThrows(InvalidInputException.class, () -> update("data=x")).problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "x", "2147483648", "+5"})
    void retryIsAWholeNumberOfMilliseconds(String retry) {
        assertEquals("invalid-retry",
                assertThrows(InvalidInputException.class, () -> update("topic=a&retry=" + retry)).problem());
    }

    @Test
    void retryMayBeTheLargestAllowed() {
        assertEquals(MercureUpdate.MAX_RETRY, update("topic=a&retry=" + MercureUpdate.MAX_RETRY).retryMillis());
    }

    @Test
    void everyTopicMustBeCoveredByThePublishClaim() {
        Grant grant = new Grant("p", List.of(TopicSelector.parse("https://example.com/books/{id}")), List.of(), true);
        update("topic=https://example.com/books/1").checkPublish(grant);
        AccessDenied denied = assertThrows(AccessDenied.class,
                () -> update("topic=https://example.com/books/1&topic=https://example.com/users/1").checkPublish(grant));
        assertEquals(403, denied.status());
    }
}
