package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.TopicSelector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GrantTest {

    private static Grant grant(List<String> publish, List<String> subscribe) {
        return new Grant("u", selectors(publish), selectors(subscribe), true);
    }

    private static List<TopicSelector> selectors(List<String> texts) {
        return texts.stream().map(TopicSelector::parse).toList();
    }

    @Test
    void publishingNeedsATokenAndACoveringSelector() {
        assertEquals(401, assertThrows(AccessDenied.class, () -> Grant.ANONYMOUS.checkPublish("a")).status());
        Grant g = grant(List.of("books/{id}"), List.of());
        assertDoesNotThrow(() -> g.checkPublish("books/1"));
        AccessDenied e = assertThrows(AccessDenied.class, () -> g.checkPublish("books/1/reviews"));
        assertEquals(403, e.status());
        assertEquals("forbidden", e.slug());
    }

    @Test
    void aSelectorIsCoveredByTheWildcardByItselfAndATopicByAnySelectorMatchingIt() {
        Grant g = grant(List.of(), List.of("logs/{service}", "news"));
        assertTrue(g.mayRead(TopicSelector.parse("logs/api")));
        assertTrue(g.mayRead(TopicSelector.parse("logs/{service}")));
        assertTrue(g.mayRead(TopicSelector.parse("news")));
        assertFalse(g.mayRead(TopicSelector.parse("logs/{+rest}")), "a wider template is not covered");
        assertFalse(g.mayRead(TopicSelector.parse("*")));
        assertTrue(grant(List.of(), List.of("*")).mayRead(TopicSelector.parse("logs/{+rest}")));
    }

    @Test
    void readingNeedsEveryRequestedSelectorCovered() {
        Grant g = grant(List.of(), List.of("a"));
        assertDoesNotThrow(() -> g.checkRead(List.of(TopicSelector.parse("a")), "it"));
        assertEquals(403, assertThrows(AccessDenied.class,
                () -> g.checkRead(selectors(List.of("a", "b")), "it")).status());
        assertEquals(401, assertThrows(AccessDenied.class,
                () -> Grant.ANONYMOUS.checkRead(List.of(TopicSelector.parse("a")), "it")).status());
        assertTrue(Stream.of("a").allMatch(g::mayRead));
    }
}
