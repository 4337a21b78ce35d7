package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    // --- topics ---

    @ParameterizedTest
    @ValueSource(strings = {"a", "prices", "https://example.com/books/1", "with space", "ünïcödé/東京"})
    void ordinaryTopicIsAccepted(String topic) {
        assertEquals(topic, Names.checkTopic(topic));
    }

    @Test
    void emptyOrMissingTopicIsRejected() {
        assertProblem("invalid-topic", () -> Names.checkTopic(""));
        assertProblem("invalid-topic", () -> Names.checkTopic(null));
    }

    @Test
    void topicOfExactlyTheMaximumLengthIsAccepted() {
        String topic = "t".repeat(Names.TOPIC_MAX_LENGTH);
        assertEquals(1024, topic.length());
        assertEquals(topic, Names.checkTopic(topic));
    }

    @Test
    void topicOneCharacterTooLongIsRejected() {
        assertProblem("invalid-topic", () -> Names.checkTopic("t".repeat(Names.TOPIC_MAX_LENGTH + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0000", "\tb", "a\u007fb", "a\u0085b", "a\u2028b", "a\u2029b"})
    void topicWithControlCharacterIsRejected(String topic) {
        assertProblem("invalid-topic", () -> Names.checkTopic(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"books/{id}", "{", "}", "a{b", "a}b", "*"})
    void topicThatLooksLikeASelectorIsRejected(String topic) {
        assertProblem("invalid-topic", () -> Names.checkTopic(topic));
    }

    @Test
    void topicContainingButNotEqualToStarIsAccepted() {
        assertEquals("a*b", Names.checkTopic("a*b"));
    }

    @Test
    void rejectionMessageDoesNotEchoTheInput() {
        String hostile = "<script>\n";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Names.checkTopic(hostile));
        assertEquals(-1, e.getMessage().indexOf("<script>"));
    }

    // --- types ---

    @Test
    void missingTypeMeansMessage() {
        assertEquals("message", Names.checkType(null));
        assertEquals(Event.DEFAULT_TYPE, Names.checkType(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"message", "price-update", "book.created", "x"})
    void ordinaryTypeIsAccepted(String type) {
        assertEquals(type, Names.checkType(type));
    }

    @Test
    void emptyTypeIsRejected() {
        assertProblem("invalid-type", () -> Names.checkType(""));
    }

    @Test
    void typeOfExactlyTheMaximumLengthIsAccepted() {
        String type = "y".repeat(Names.TYPE_MAX_LENGTH);
        assertEquals(128, type.length());
        assertEquals(type, Names.checkType(type));
    }

    @Test
    void typeOneCharacterTooLongIsRejected() {
        assertProblem("invalid-type", () -> Names.checkType("y".repeat(Names.TYPE_MAX_LENGTH + 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\u0000", "a b", "a\tb", "a\u00a0b", "a\u2028b", " "})
    void typeWithControlOrWhiteSpaceCharacterIsRejected(String type) {
        assertProblem("invalid-type", () -> Names.checkType(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "keep-alive", "gap", "lagged", "shutdown"})
    void publisherCannotForgeAControlEventType(String type) {
        assertProblem("invalid-type", () -> Names.checkType(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/..", "../a", "a/./b", "https://example.com/../admin"})
    void topicWithADotSegmentIsRejected(String topic) {
        assertProblem("invalid-topic", () -> Names.checkTopic(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "...", "a/.hidden", "v1.2/..x", "https://example.com/books/1"})
    void dotsInsideASegmentAreAccepted(String topic) {
        assertEquals(topic, Names.checkTopic(topic));
    }

    @Test
    void aNameWithTheReplacementCharacterIsRejected() {
        assertProblem("invalid-topic", () -> Names.checkTopic("caf\uFFFD"));
        assertProblem("invalid-type", () -> Names.checkType("\uFFFD"));
    }

    private static void assertProblem(String problem, org.junit.jupiter.api.function.Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertEquals(problem, e.problem());
    }
}
