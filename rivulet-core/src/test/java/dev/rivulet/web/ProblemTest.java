package dev.rivulet.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rivulet.gate.Refusal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProblemTest {

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndNeverZero() {
        assertEquals("1", problem(Duration.ofMillis(1)).retryAfterHeader());
        assertEquals("1", problem(Duration.ofMillis(1000)).retryAfterHeader());
        assertEquals("2", problem(Duration.ofMillis(1001)).retryAfterHeader());
        assertEquals("1", problem(Duration.ZERO).retryAfterHeader());
        assertNull(new Problem(400, "x", "Bad request", "d").retryAfterHeader());
    }

    @Test
    void aRefusalBecomesAProblemWithItsStatusSlugAndRetryAfter() {
        Problem p = Problem.of(new Refusal(429, "publish-rate", "Too many requests", "slow down", Duration.ofSeconds(3)));
        assertEquals(429, p.status());
        assertEquals("urn:rivulet:problem:publish-rate", p.type());
        assertEquals("3", p.retryAfterHeader());
        assertEquals("{\"type\":\"urn:rivulet:problem:publish-rate\",\"title\":\"Too many requests\",\"status\":429,"
                + "\"detail\":\"slow down\"}", p.toJson());
    }

    private static Problem problem(Duration retryAfter) {
        return new Problem(503, "draining", "Shutting down", "d", retryAfter);
    }
}
