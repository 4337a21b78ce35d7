package dev.rivulet.chat;

import dev.rivulet.hub.TokenBucket;
import java.util.function.LongSupplier;

/**
 * One connection's message budget: the hub's {@link TokenBucket} with {@code perSecond} tokens a
 * second, holding {@code perSecond}, so a connection at rest may send that many at once and then
 * keep to the rate. A message beyond it is refused. A connection that keeps sending into a refusal
 * without ever backing off (letting the bucket fill again) is abusive once {@code perSecond}
 * messages in a row of that streak have been refused.
 */
final class MessageRate {

    /** What to do with one incoming message. */
    enum Verdict { ACCEPT, REFUSE, ABUSE }

    private final int perSecond;
    private final LongSupplier nanos;
    private final TokenBucket bucket;
    private int refusedInStreak;

    MessageRate(int perSecond, LongSupplier nanos) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.perSecond = perSecond;
        this.nanos = nanos;
        this.bucket = new TokenBucket(perSecond, perSecond, nanos.getAsLong());
    }

    /** Takes a token for one message, or says why not. */
    synchronized Verdict admit() {
        long now = nanos.getAsLong();
        if (bucket.isFull(now)) {
            // Backed off long enough to fill the bucket: earlier refusals are forgiven.
            refusedInStreak = 0;
        }
        if (bucket.tryTake(now)) {
            return Verdict.ACCEPT;
        }
        refusedInStreak++;
        return refusedInStreak >= perSecond ? Verdict.ABUSE : Verdict.REFUSE;
    }
}
