package dev.rivulet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for a condition the server reaches on its own, with a deadline instead of a fixed sleep. */
public final class Poll {

    private static final long INTERVAL_MILLIS = 50;

    private Poll() {
    }

    /**
     * Probes until {@code done} accepts the value, and answers it; fails, naming the last value
     * seen, when {@code within} passes first.
     */
    public static <T> T until(String what, Duration within, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + within.toNanos();
        T last = null;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + within.toSeconds() + " s waiting for " + what + "; last seen: " + last);
            }
            try {
                Thread.sleep(INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + what);
            }
        }
    }
}
