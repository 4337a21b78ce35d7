package dev.rivulet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Steps a publish rate up over subscribers already connected, and stops at the first step where
 * delivery falls behind. Every event published is due to {@code perEvent} subscribers.
 */
final class RateSteps {

    /** How long after a step's last publish its deliveries may still arrive. */
    private static final long SETTLE_MILLIS = 1000;

    private final StreamClients clients;
    private final Publisher publisher;
    private final double seconds;

    RateSteps(StreamClients clients, Publisher publisher, double seconds) {
        this.clients = clients;
        this.publisher = publisher;
        this.seconds = seconds;
    }

    /** A short run at a low rate first, so the server's JIT compiler has seen the path. */
    void warmUp(double rate, IntFunction<String> topicOf, boolean room) throws InterruptedException {
        publisher.run(rate, Math.min(3, seconds), topicOf, room);
        Thread.sleep(SETTLE_MILLIS);
        clients.latencies.getIntervalHistogram();
    }

    List<Step> run(double[] rates, int perEvent, IntFunction<String> topicOf, boolean room) throws InterruptedException {
        List<Step> steps = new ArrayList<>();
        for (double rate : rates) {
            int lostBefore = clients.lost.get();
            clients.latencies.getIntervalHistogram();
            Publisher.Outcome out = publisher.run(rate, seconds, topicOf, room);
            Thread.sleep(SETTLE_MILLIS);
            Histogram h = clients.latencies.getIntervalHistogram();
            long delivered = h.getTotalCount();
            long due = out.published() * perEvent;
            int lost = clients.lost.get() - lostBefore;
            double p99 = h.getValueAtPercentile(99) / 1000.0;
            boolean behind = delivered < 0.95 * due || p99 > 1000 || lost > 0 || out.rate() < 0.9 * rate
                    || out.failed() > 0;
            Step s = new Step(rate, out.rate(), out.published(), out.failed(), delivered, delivered / out.seconds(),
                    h.getValueAtPercentile(50) / 1000.0, p99, h.getMaxValue() / 1000.0, lost, behind);
            System.err.printf("    rate %8.0f/s: published %7.0f/s, delivered %9.0f/s (%d of %d), p50 %.2f ms, p99 %.2f ms, max %.1f ms, lost %d%s%n",
                    rate, out.rate(), s.deliveriesPerSecond(), delivered, due, s.p50Ms(), s.p99Ms(), s.maxMs(), lost,
                    behind ? "  <- behind" : "");
            steps.add(s);
            if (behind) {
                break;
            }
        }
        return steps;
    }
}
