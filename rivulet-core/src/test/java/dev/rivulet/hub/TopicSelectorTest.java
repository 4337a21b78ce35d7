package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TopicSelectorTest {

    @Test
    void exactSelectorMatchesOnlyThatTopic() {
        TopicSelector s = TopicSelector.parse("https://example.com/books/1");

        assertTrue(s.isExact());
        assertTrue(s.matches("https://example.com/books/1"));
        assertFalse(s.matches("https://example.com/books/12"));
        assertFalse(s.matches("https://example.com/books/"));
        assertFalse(s.matches("HTTPS://EXAMPLE.COM/BOOKS/1"));
    }

    @Test
    void exactSelectorTreatsRegexCharactersLiterally() {
        TopicSelector s = TopicSelector.parse("prices.eur+usd");

        assertTrue(s.matches("prices.eur+usd"));
        assertFalse(s.matches("pricesXeur+usd"));
        assertFalse(s.matches("prices.eurrusd"));
    }

    @Test
    void starMatchesEveryTopic() {
        TopicSelector s = TopicSelector.parse("*");

        assertTrue(s.isWildcard());
        assertFalse(s.isExact());
        assertTrue(s.matches("a"));
        assertTrue(s.matches("https://example.com/books/1/reviews"));
    }

    @Test
    void templateVariableMatchesExactlyOnePathSegment() {
        TopicSelector s = TopicSelector.parse("https://example.com/books/{id}");

        assertFalse(s.isExact());
        assertFalse(s.isWildcard());
        assertTrue(s.matches("https://example.com/books/1"));
        assertTrue(s.matches("https://example.com/books/the-hobbit"));
        assertFalse(s.matches("https://example.com/books/1/reviews"));
        assertFalse(s.matches("https://example.com/authors/1"));
        assertFalse(s.matches("https://example.com/books/"), "a variable needs a non-empty value");
        assertFalse(s.matches("https://example.com/books/1?page=2"));
        assertFalse(s.matches("https://example.com/books/1#top"));
    }

    @Test
    void templateLiteralPartsAreNotRegularExpressions() {
        TopicSelector s = TopicSelector.parse("https://example.com/books/{id}");

        assertFalse(s.matches("https://exampleXcom/books/1"));
    }

    @Test
    void templateWithSeveralVariablesMatchesEachSegment() {
        TopicSelector s = TopicSelector.parse("https://example.com/books/{id}/reviews/{review}");

        assertTrue(s.matches("https://example.com/books/1/reviews/7"));
        assertFalse(s.matches("https://example.com/books/1/reviews"));
        assertFalse(s.matches("https://example.com/books/1/2/reviews/7"));
    }

    @Test
    void reservedExpansionMatchesAcrossSlashes() {
        TopicSelector s = TopicSelector.parse("https://example.com/{+path}");

        assertTrue(s.matches("https://example.com/books/1"));
        assertTrue(s.matches("https://example.com/books/1/reviews"));
        assertTrue(s.matches("https://example.com/a"));
        assertFalse(s.matches("https://example.com/"), "a variable needs a non-empty value");
        assertFalse(s.matches("https://example.org/books/1"));
    }

    @Test
    void fragmentExpansionMatchesAcrossSlashes() {
        TopicSelector s = TopicSelector.parse("urn:feed:{#rest}");

        assertTrue(s.matches("urn:feed:a/b#c"));
        assertFalse(s.matches("urn:other:a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/books/{id",
            "https://example.com/books/id}",
            "https://example.com/books/{}",
            "https://example.com/books/{{id}}",
            "https://example.com/books/{id }",
            "https://example.com/books/{/id}",
            "https://example.com/books/{?id}",
            "}{",
    })
    void malformedTemplateIsRejected(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TopicSelector.parse(text));
        assertEquals("invalid-selector", e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\nb", "a\rb", "a\u0000b", "a\tb", "a\u007fb", "a\u2028b"})
    void emptyOrControlCharacterSelectorIsRejected(String text) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TopicSelector.parse(text));
        assertEquals("invalid-selector", e.problem());
    }

    @Test
    void nullSelectorIsRejected() {
        assertThrows(InvalidInputException.class, () -> TopicSelector.parse(null));
    }

    @Test
    void selectorLongerThanATopicIsRejected() {
        assertThrows(InvalidInputException.class,
                () -> TopicSelector.parse("a".repeat(Names.TOPIC_MAX_LENGTH + 1)));
        assertTrue(TopicSelector.parse("a".repeat(Names.TOPIC_MAX_LENGTH)).isExact());
    }

    @Test
    void selectorsWithTheSameTextAreEqual() {
        assertEquals(TopicSelector.parse("books/{id}"), TopicSelector.parse("books/{id}"));
        assertEquals(TopicSelector.parse("books/{id}").hashCode(), TopicSelector.parse("books/{id}").hashCode());
        assertEquals("books/{id}", TopicSelector.parse("books/{id}").text());
    }

    @Test
    void aSelectorWithADotSegmentOrTheReplacementCharacterIsRejected() {
        for (String text : new String[] {"..", "a/../b", "https://example.com/./{id}", "caf\uFFFD"}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> TopicSelector.parse(text));
            assertEquals("invalid-selector", e.problem());
        }
    }
}
