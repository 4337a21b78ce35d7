package dev.rivulet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Once a second while a run goes on: the server's OS threads and resident memory (from /proc, so a
 * server that stops answering is still sampled), the kernel's memory for the host's TCP sockets
 * (where unsent bytes wait), and what the readers received in that second. It
 * takes the readers' latencies from their recorder as it goes, and adds them up for the whole run.
 */
final class ServerSampler implements AutoCloseable {

    /**
     * One second: {@code second} from the start, the server's threads and RSS, the host's TCP
     * memory, the readers' deliveries and p99 in that second.
     */
    record Sample(double second, long threads, long rssBytes, long tcpKernelBytes, long deliveries, double p99Ms) {
    }

    private final Target target;
    private final Recorder readers;
    private final Histogram total = new Histogram(StreamConnection.MAX_LATENCY_MICROS, 3);
    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private final long start = System.nanoTime();
    private final CountDownLatch stop = new CountDownLatch(1);

    /** Starts sampling; {@code readers}' interval histogram is taken (and so reset) now. */
    ServerSampler(Target target, Recorder readers) {
        this.target = target;
        this.readers = readers;
        readers.getIntervalHistogram();
        thread = new Thread(this::run, "server-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = start + 1_000_000_000L;
        try {
            while (!stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                sample();
                next += 1_000_000_000L;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void sample() {
        Histogram h = readers.getIntervalHistogram();
        total.add(h);
        samples.add(new Sample((System.nanoTime() - start) / 1e9, target.threads(), target.rssBytes(),
                Machine.tcpMemoryBytes(), h.getTotalCount(), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0));
    }

    /** Stops, with a last sample of what arrived since the one before. */
    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join();
        sample();
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The readers' latencies over the whole run, in microseconds. */
    synchronized Histogram readers() {
        return total;
    }
}
