package dev.rivulet.bench;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Subscribers that stop reading, beside readers that read: on one topic, 100 SSE readers and N
 * stalled SSE subscribers ({@link StalledClients}), and one publishing schedule of 200 events a
 * second of ~2 KB each, on keep-alive connections that each wait for their answer. A server whose
 * writes to a stalled client hold a thread that publishing needs stops answering publishes; one
 * that parks only the stalled client's writer keeps the schedule, and its readers' latency stays
 * that of the run without stalled subscribers (N = 0, run first).
 *
 * <p>Every second the server's OS threads and RSS are sampled. Twice, the server's sockets to the
 * stalled clients are looked at ({@code ss}: still open, bytes waiting in their send queues) and,
 * for a JVM, its threads are dumped: 5 s in, while every stalled client is stalled and before a
 * write deadline of 10 s (Rivulet's {@code http.write.timeout}) lets the server give up on them,
 * and near the end.
 */
final class StalledSubscribers {

    static final int READERS = 100;
    static final double RATE = 200;
    /** An event's padding: with the stamp and the JSON around it, about 2 KB. */
    static final int PAD_BYTES = 2000;
    /** At 200 a second each connection has 40 ms for a publish: plenty while the server is healthy. */
    static final int PUBLISHERS = 8;

    /** A look at the server {@code second}s into the run. */
    record Look(double second, SocketQueues stalledSockets, ThreadDump threads) {
    }

    /**
     * One N. Publishes: count, rate, the longest wait for an answer, and the round trip's p99 and
     * max; readers: deliveries, those due (published x readers open) and missing, readers cut off,
     * latency, and its p99 against the run without stalled subscribers; the server: OS threads and
     * RSS, least and most over the samples, and the most TCP memory the kernel held; then the looks,
     * publishes answered each second and the samples.
     */
    record Result(int stalled, int stalledOpen, int stalledRefused, int readers, int readersOpen, double seconds,
                  double askedRate, int eventBytes, long published, long failed, double publishRate,
                  double longestGapMs, double publishP99Ms, double publishMaxMs, long delivered, long due, long missing,
                  int readersCutOff, double p50Ms, double p99Ms, double maxMs, Double p99VsNoneStalled,
                  long threadsMin, long threadsMax, long rssMinBytes, long rssMaxBytes, long tcpKernelMaxBytes,
                  List<Look> looks,
                  List<Integer> publishesPerSecond, List<ServerSampler.Sample> samples) {
    }

    private StalledSubscribers() {
    }

    /** Runs each N in turn; {@code work} takes the thread dumps. */
    static List<Result> run(Target target, int[] stalledCounts, double seconds, Path work) throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", target.port());
        int eventBytes = target.eventBody("@" + System.nanoTime() + "@", PAD_BYTES).length();
        List<Result> results = new ArrayList<>();
        Double baseline = null;
        for (int n : stalledCounts) {
            if (!results.isEmpty()) {
                Bench.settle(target);
            }
            // A topic for each N: nchan sends a new subscriber what its channel holds (its first
            // message is the oldest), so readers of a topic used before would get the last run's events.
            String topic = "stalled-" + n + "-" + results.size();
            byte[] request = target.sseRequest(topic);
            System.err.printf("  stalled, %d readers and %d stalled subscribers, %.0f events/s of %d bytes%n",
                    READERS, n, RATE, eventBytes);
            Publisher publisher = new Publisher(address, target, PUBLISHERS, PAD_BYTES);
            try (StreamClients readers = new StreamClients(2); StalledClients stalled = new StalledClients()) {
                readers.open(address, StreamConnection.Kind.SSE, READERS, i -> request);
                readers.awaitOpen(READERS, 60_000);
                if (results.isEmpty()) {
                    // The JIT compiler sees the path before the first (N = 0) run sets the baseline.
                    publisher.run(RATE, 3, i -> topic, false);
                    Thread.sleep(1000);
                }
                int stalledOpen = stalled.open(address, n, request);
                Thread.sleep(500);
                int readersOpen = readers.live();
                int lostBefore = readers.lost.get();

                ServerSampler sampler = new ServerSampler(target, readers.latencies);
                long start = System.nanoTime();
                AtomicReference<Publisher.Outcome> outcome = new AtomicReference<>();
                AtomicReference<Exception> failure = new AtomicReference<>();
                Thread publishing = new Thread(() -> {
                    try {
                        outcome.set(publisher.run(RATE, seconds, i -> topic, false));
                    } catch (Exception e) {
                        failure.set(e);
                    }
                }, "stalled-publishing");
                publishing.start();
                List<Look> looks = new ArrayList<>();
                double mid = Math.min(5, seconds / 2);
                for (double at : seconds - 2 > mid ? new double[] {mid, seconds - 2} : new double[] {mid}) {
                    long wait = start + (long) (at * 1e9) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    double second = (System.nanoTime() - start) / 1e9;
                    SocketQueues sockets = SocketQueues.of(target.port(), stalled.localPorts());
                    ThreadDump dump = target.threadDump(work.resolve(String.format("threads-stalled-%d-%.0fs.json", n, at)))
                            .orElse(null);
                    looks.add(new Look(second, sockets, dump));
                }
                publishing.join();
                if (failure.get() != null) {
                    throw failure.get();
                }
                // Stragglers: what was published last may still be on its way to the readers.
                Thread.sleep(1000);
                sampler.close();

                Publisher.Outcome out = outcome.get();
                Histogram h = sampler.readers();
                long delivered = h.getTotalCount();
                long due = out.published() * readersOpen;
                double p99 = h.getValueAtPercentile(99) / 1000.0;
                if (n == 0) {
                    baseline = p99;
                }
                List<ServerSampler.Sample> samples = sampler.samples();
                Result r = new Result(n, stalledOpen, stalled.refused(), READERS, readersOpen, seconds, RATE, eventBytes,
                        out.published(), out.failed(), out.rate(), out.longestGapMillis(),
                        out.roundTrips().getValueAtPercentile(99) / 1000.0, out.roundTrips().getMaxValue() / 1000.0,
                        delivered, due, Math.max(0, due - delivered), readers.lost.get() - lostBefore,
                        h.getValueAtPercentile(50) / 1000.0, p99, h.getMaxValue() / 1000.0,
                        baseline == null || baseline == 0 ? null : p99 / baseline,
                        samples.stream().mapToLong(ServerSampler.Sample::threads).filter(t -> t > 0).min().orElse(0),
                        samples.stream().mapToLong(ServerSampler.Sample::threads).max().orElse(0),
                        samples.stream().mapToLong(ServerSampler.Sample::rssBytes).filter(b -> b > 0).min().orElse(0),
                        samples.stream().mapToLong(ServerSampler.Sample::rssBytes).max().orElse(0),
                        samples.stream().mapToLong(ServerSampler.Sample::tcpKernelBytes).max().orElse(0),
                        looks, out.perSecond(), samples);
                System.err.printf("    %d stalled open (%d refused); published %d (%.1f/s, %d failed), longest gap %.0f ms; "
                                + "readers got %d of %d (%d cut off), p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
                                + "threads %d-%d, RSS %d-%d MB, kernel TCP memory up to %d MB%n",
                        stalledOpen, stalled.refused(), out.published(), out.rate(), out.failed(), r.longestGapMs(),
                        delivered, due, r.readersCutOff(), r.p50Ms(), p99, r.maxMs(), r.threadsMin(), r.threadsMax(),
                        r.rssMinBytes() >> 20, r.rssMaxBytes() >> 20, r.tcpKernelMaxBytes() >> 20);
                for (Look look : looks) {
                    System.err.printf("    at %.1f s: %s%s%n", look.second(), look.stalledSockets().summary(),
                            look.threads() == null ? "" : ", " + look.threads().summary());
                }
                results.add(r);
            }
        }
        return results;
    }
}
