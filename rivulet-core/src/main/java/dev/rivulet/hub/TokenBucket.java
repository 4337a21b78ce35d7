package dev.rivulet.hub;

/**
 * A token bucket: {@code rate} tokens a second, holding at most {@code burst}. It starts full.
 * Time is the caller's {@link System#nanoTime()} reading, so tests can drive it. Thread-safe.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double rate, int burst, long nowNanos) {
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be above 0 and burst at least 1");
        }
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until a token is there; 0 when one is there now. */
    public synchronized long nanosUntilToken(long nowNanos) {
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }

    /** True when the bucket is full, so forgetting it changes nothing. */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= burst;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            refilledAt = nowNanos;
        }
    }
}
