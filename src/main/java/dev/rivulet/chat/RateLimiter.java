package dev.rivulet.chat;

import java.util.function.LongSupplier;

/**
 * One connection's message budget: a token bucket that holds {@code perSecond} tokens and refills
 * at {@code perSecond} a second, so a connection at rest may send that many at once and then keep
 * to the rate. A message beyond it is refused. A connection that keeps sending into a refusal
 * without ever backing off (letting the bucket fill again) is abusive once {@code perSecond}
 * messages in a row of that streak have been refused.
 */
final class RateLimiter {

    /** What to do with one incoming message. */
    enum Verdict { ACCEPT, REFUSE, ABUSE }

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private final LongSupplier nanos;
    /** The bucket's level; one token is {@link #SECOND} units, so a nanosecond refills {@code perSecond} units. */
    private long units;
    private long lastRefill;
    private int refusedInStreak;

    RateLimiter(int perSecond, LongSupplier nanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.perSecond = perSecond;
        this.nanos = nanos;
        this.lastRefill = nanos.getAsLong();
        this.units = capacity();
    }

    /** Takes a token for one message, or says why not. */
    synchronized Verdict admit() {
        refill();
        if (units >= SECOND) {
            units -= SECOND;
            return Verdict.ACCEPT;
        }
        refusedInStreak++;
        return refusedInStreak >= perSecond ? Verdict.ABUSE : Verdict.REFUSE;
    }

    private void refill() {
        long now = nanos.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        lastRefill = now;
        // A second or more at rest fills the bucket; capping there keeps the product from overflowing.
        long gained = elapsed >= SECOND ? capacity() : elapsed * perSecond;
        units = Math.min(capacity(), units + gained);
        if (units == capacity()) {
            refusedInStreak = 0;
        }
    }

    private long capacity() {
        return perSecond * SECOND;
    }
}
