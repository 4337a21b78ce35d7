package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublishLimiterTest {

    private final AtomicLong now = new AtomicLong();

    private PublishLimiter limiter(int rate, int burst) {
        return new PublishLimiter(GateConfig.of(100, 0, Duration.ofSeconds(5), rate, burst), now::get);
    }

    @Test
    void aPublisherPastItsBurstIsRefusedWith429AndWhenOneMoreFits() {
        PublishLimiter limiter = limiter(4, 2);
        limiter.admit("ip:a");
        limiter.admit("ip:a");

        Refusal r = assertThrows(Refusal.class, () -> limiter.admit("ip:a"));
        assertEquals(429, r.status());
        assertEquals("publish-rate", r.slug());
        assertEquals(Duration.ofMillis(250), r.retryAfter(), "one token every 250 ms at 4 a second");

        now.addAndGet(Duration.ofMillis(250).toNanos());
        assertDoesNotThrow(() -> limiter.admit("ip:a"));
    }

    @Test
    void eachPublisherHasItsOwnBucket() {
        PublishLimiter limiter = limiter(1, 1);
        limiter.admit("sub:alice");
        assertThrows(Refusal.class, () -> limiter.admit("sub:alice"));

        assertDoesNotThrow(() -> limiter.admit("sub:bob"));
        assertDoesNotThrow(() -> limiter.admit("ip:10.0.0.1"));
    }

    @Test
    void aRateOfZeroLimitsNothingAndKeepsNoState() {
        PublishLimiter limiter = limiter(0, 1);
        for (int i = 0; i < 10_000; i++) {
            limiter.admit("ip:a");
        }
        assertEquals(0, limiter.tracked());
    }

    @Test
    void publishersGoneQuietAreForgottenSoManyAddressesDoNotPileUp() {
        PublishLimiter limiter = limiter(10, 1);
        for (int i = 0; i < 10_001; i++) {
            limiter.admit("ip:" + i);
        }
        assertEquals(10_001, limiter.tracked());

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        limiter.admit("ip:new");

        assertEquals(1, limiter.tracked(), "every bucket but the new one had refilled");
    }

    @Test
    void theCallerIsTheSubjectWhenThereIsOneElseTheAddress() {
        assertEquals("sub:alice", Caller.key(new Grant("alice", List.of(), List.of(), true), "10.0.0.1"));
        assertEquals("ip:10.0.0.1", Caller.key(Grant.ANONYMOUS, "10.0.0.1"));
        assertEquals("ip:10.0.0.1", Caller.key(new Grant("", List.of(), List.of(), true), "10.0.0.1"));
    }
}
