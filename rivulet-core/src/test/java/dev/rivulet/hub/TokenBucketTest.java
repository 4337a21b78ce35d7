package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsTheBurstThroughAtOnceThenTheRate() {
        TokenBucket b = new TokenBucket(2, 3, 0);
        assertTrue(b.tryTake(0));
        assertTrue(b.tryTake(0));
        assertTrue(b.tryTake(0));
        assertFalse(b.tryTake(0), "the burst is spent");
        assertEquals(SECOND / 2, b.nanosUntilToken(0), "one token every half second at 2 a second");
        assertFalse(b.tryTake(SECOND / 2 - 1));
        assertTrue(b.tryTake(SECOND / 2));
    }

    @Test
    void aQuietBucketRefillsOnlyUpToItsBurst() {
        TokenBucket b = new TokenBucket(10, 2, 0);
        b.tryTake(0);
        b.tryTake(0);
        assertTrue(b.isFull(100 * SECOND));
        assertTrue(b.tryTake(100 * SECOND));
        assertTrue(b.tryTake(100 * SECOND));
        assertFalse(b.tryTake(100 * SECOND), "a long quiet spell buys no more than the burst");
    }

    @Test
    void aClockThatStepsBackDoesNotMintTokens() {
        TokenBucket b = new TokenBucket(1, 1, 10 * SECOND);
        assertTrue(b.tryTake(10 * SECOND));
        assertFalse(b.tryTake(5 * SECOND));
        assertTrue(b.nanosUntilToken(10 * SECOND) > 0);
    }

    @Test
    void aRateOrBurstBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
    }
}
