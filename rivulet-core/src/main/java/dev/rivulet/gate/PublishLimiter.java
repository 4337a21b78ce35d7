package dev.rivulet.gate;

import dev.rivulet.hub.TokenBucket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The publish rate per publisher: a token bucket of {@code rivulet.publish.rate} events a second
 * and {@code rivulet.publish.burst} at once, per {@link Caller#key} (token subject, else address).
 * Past it, {@link #admit} refuses with 429 and the Retry-After after which one publish fits again.
 */
@ApplicationScoped
public class PublishLimiter {

    /** Buckets kept before the full ones (those of publishers gone quiet) are forgotten. */
    private static final int SWEEP_ABOVE = 10_000;
    /**
     * Buckets kept at most, whatever their state: past it all are forgotten. Forgetting only ever
     * lets a publisher through sooner; it bounds memory when very many addresses publish at once.
     */
    private static final int KEEP_AT_MOST = 200_000;
    private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

    private GateConfig config;
    private LongSupplier nanoTime = System::nanoTime;
    private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();

    protected PublishLimiter() {
    }

    @Inject
    public PublishLimiter(GateConfig config) {
        this.config = config;
    }

    PublishLimiter(GateConfig config, LongSupplier nanoTime) {
        this(config);
        this.nanoTime = nanoTime;
    }

    /** Lets one publish by {@code publisher} through, or throws a 429 {@link Refusal}. */
    public void admit(String publisher) {
        int rate = config.publishRate();
        if (rate == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        TokenBucket bucket = buckets.computeIfAbsent(publisher, p -> new TokenBucket(rate, config.publishBurst(), now));
        if (bucket.tryTake(now)) {
            return;
        }
        long wait = bucket.nanosUntilToken(now);
        throw new Refusal(429, "publish-rate", "Too many requests",
                "a publisher may publish " + rate + " events a second (bursts of " + config.publishBurst() + ")",
                Duration.ofNanos(Math.max(wait, 1)));
    }

    /** Forgets quiet publishers, at most once a second, so a sweep never runs per publish. */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_EVERY_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(b -> b.isFull(now));
        if (buckets.size() > KEEP_AT_MOST) {
            buckets.clear();
        }
    }

    /** Publishers with a bucket now (for tests). */
    int tracked() {
        return buckets.size();
    }
}
