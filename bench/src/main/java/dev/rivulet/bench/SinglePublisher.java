package dev.rivulet.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One publisher on one keep-alive connection, closed loop: each publish is sent when the last one
 * has been answered, as fast as the server answers, to N SSE subscribers of one topic, with small
 * events (~100 bytes). It measures the publish path end to end as one client sees it (its round
 * trip, and so publishes a second) and what the fan-out delivers behind it. Deliveries still on
 * their way when publishing stops are waited for (until none arrived for a second, at most
 * {@code max(5 s, the run)}), so "missing" is what never arrived: dropped, or cut off with its
 * subscriber.
 */
final class SinglePublisher {

    /**
     * One N: publishes (count, rate, round trip) and deliveries (count, those due = published x
     * subscribers open, missing, subscribers cut off, deliveries a second from the first publish to
     * the last delivery, how long after the last publish that was, latency).
     */
    record Result(int subscribers, int connected, double seconds, long published, long failed, double publishRate,
                  double roundTripP50Ms, double roundTripP99Ms, double roundTripMaxMs, long delivered, long due,
                  long missing, int cutOff, double deliveriesPerSecond, double drainSeconds, double p50Ms,
                  double p99Ms, double maxMs) {
    }

    private SinglePublisher() {
    }

    static List<Result> run(Target target, int[] subscriberCounts, double seconds) throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", target.port());
        List<Result> results = new ArrayList<>();
        for (int n : subscriberCounts) {
            if (!results.isEmpty()) {
                Bench.settle(target);
            }
            String topic = "single-" + n;
            System.err.printf("  single publisher, closed loop, %d subscribers%n", n);
            Publisher publisher = new Publisher(address, target, 1);
            try (StreamClients clients = new StreamClients(2)) {
                clients.open(address, StreamConnection.Kind.SSE, n, i -> target.sseRequest(topic));
                clients.awaitOpen(n, 120_000);
                Thread.sleep(500);
                // Warm-up on a schedule of about 50,000 deliveries a second: the JIT compiler sees
                // the path, and no subscriber's queue fills before the run.
                publisher.run(Math.max(1, Math.min(2000, 50_000 / n)), 2, i -> topic, false);
                drain(clients, System.nanoTime(), 5);
                int connected = clients.live();
                int lostBefore = clients.lost.get();
                clients.latencies.getIntervalHistogram();

                long start = System.nanoTime();
                Publisher.Outcome out = publisher.closedLoop(seconds, i -> topic);
                long publishEnd = System.nanoTime();
                Histogram h = new Histogram(StreamConnection.MAX_LATENCY_MICROS, 3);
                long last = drain(clients, h, publishEnd, Math.max(5, seconds));
                long delivered = h.getTotalCount();
                long due = out.published() * connected;
                Histogram rtt = out.roundTrips();
                Result r = new Result(n, connected, out.seconds(), out.published(), out.failed(), out.rate(),
                        rtt.getValueAtPercentile(50) / 1000.0, rtt.getValueAtPercentile(99) / 1000.0,
                        rtt.getMaxValue() / 1000.0, delivered, due, Math.max(0, due - delivered),
                        clients.lost.get() - lostBefore, delivered / Math.max(out.seconds(), (last - start) / 1e9),
                        Math.max(0, (last - publishEnd) / 1e9), h.getValueAtPercentile(50) / 1000.0,
                        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
                System.err.printf("    published %d (%.0f/s, %d failed), round trip p50 %.2f ms, p99 %.2f ms; "
                                + "delivered %d of %d (%.0f/s, %d cut off, %.1f s after the last publish), "
                                + "p50 %.2f ms, p99 %.2f ms, max %.1f ms%n",
                        out.published(), out.rate(), out.failed(), r.roundTripP50Ms(), r.roundTripP99Ms(), delivered,
                        due, r.deliveriesPerSecond(), r.cutOff(), r.drainSeconds(), r.p50Ms(), r.p99Ms(), r.maxMs());
                results.add(r);
            }
        }
        return results;
    }

    /** Waits for deliveries to stop (none for a second, at most {@code maxSeconds}), discarding them. */
    private static void drain(StreamClients clients, long from, double maxSeconds) throws InterruptedException {
        drain(clients, new Histogram(StreamConnection.MAX_LATENCY_MICROS, 3), from, maxSeconds);
    }

    /**
     * Adds deliveries into {@code into} until none arrived for a second (at most {@code maxSeconds}
     * after {@code from}); answers when the last one arrived.
     */
    private static long drain(StreamClients clients, Histogram into, long from, double maxSeconds)
            throws InterruptedException {
        long last = from;
        long deadline = from + (long) (maxSeconds * 1e9);
        while (true) {
            Thread.sleep(100);
            long now = System.nanoTime();
            Histogram h = clients.latencies.getIntervalHistogram();
            if (h.getTotalCount() > 0) {
                into.add(h);
                last = now;
            } else if (now - last >= 1_000_000_000L || now >= deadline) {
                return last;
            }
            if (now >= deadline) {
                return last;
            }
        }
    }
}
