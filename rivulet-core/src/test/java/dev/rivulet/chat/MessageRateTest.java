package dev.rivulet.chat;

import static dev.rivulet.chat.MessageRate.Verdict.ABUSE;
import static dev.rivulet.chat.MessageRate.Verdict.ACCEPT;
import static dev.rivulet.chat.MessageRate.Verdict.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageRateTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private MessageRate limiter(int perSecond) {
        return new MessageRate(perSecond, now::get);
    }

    @Test
    void aConnectionAtRestMaySendOneSecondsWorthAtOnce() {
        MessageRate rate = limiter(20);
        for (int i = 0; i < 20; i++) {
            assertEquals(ACCEPT, rate.admit(), "message " + (i + 1));
        }
        assertEquals(REFUSE, rate.admit(), "the 21st message in the same instant");
    }

    @Test
    void tokensComeBackAtTheRate() {
        MessageRate rate = limiter(20);
        for (int i = 0; i < 20; i++) {
            rate.admit();
        }
        now.addAndGet(49 * MS);
        assertEquals(REFUSE, rate.admit(), "a token takes 50 ms at 20 a second");
        now.addAndGet(MS);
        assertEquals(ACCEPT, rate.admit());
        assertEquals(REFUSE, rate.admit());
    }

    @Test
    void aSenderKeepingToTheRateIsNeverRefused() {
        MessageRate rate = limiter(20);
        for (int i = 0; i < 1000; i++) {
            assertEquals(ACCEPT, rate.admit(), "message " + i);
            now.addAndGet(50 * MS);
        }
    }

    @Test
    void theBucketHoldsNoMoreThanOneSecondsWorth() {
        MessageRate rate = limiter(5);
        now.addAndGet(3_600_000 * MS);
        for (int i = 0; i < 5; i++) {
            assertEquals(ACCEPT, rate.admit());
        }
        assertEquals(REFUSE, rate.admit());
    }

    @Test
    void refusalsWithoutBackingOffBecomeAbuseAtOneSecondsWorth() {
        MessageRate rate = limiter(20);
        for (int i = 0; i < 20; i++) {
            rate.admit();
        }
        for (int i = 1; i < 20; i++) {
            assertEquals(REFUSE, rate.admit(), "refusal " + i);
        }
        assertEquals(ABUSE, rate.admit(), "the 20th refusal in a row");
    }

    @Test
    void aSenderThatKeepsGoingOverTheRateIsCaughtEvenWhenSomeMessagesPass() {
        MessageRate rate = limiter(10);
        int accepted = 0;
        MessageRate.Verdict last = ACCEPT;
        // 20 a second against a limit of 10: every other message passes, the rest add up.
        for (int i = 0; i < 200 && last != ABUSE; i++) {
            last = rate.admit();
            if (last == ACCEPT) {
                accepted++;
            }
            now.addAndGet(50 * MS);
        }
        assertEquals(ABUSE, last);
        assertEquals(true, accepted > 10, "messages within the rate still went through: " + accepted);
    }

    @Test
    void backingOffUntilTheBucketIsFullForgivesEarlierRefusals() {
        MessageRate rate = limiter(20);
        for (int i = 0; i < 20 + 19; i++) {
            rate.admit();
        }
        now.addAndGet(1000 * MS);
        for (int i = 0; i < 20; i++) {
            assertEquals(ACCEPT, rate.admit());
        }
        for (int i = 1; i < 20; i++) {
            assertEquals(REFUSE, rate.admit(), "refusal " + i + " of a new streak");
        }
        assertEquals(ABUSE, rate.admit());
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> limiter(0));
    }
}
