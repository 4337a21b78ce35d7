package dev.rivulet.bench;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Opens many SSE connections that receive nothing and measures what the server holds for them:
 * resident memory (every process) and, where there is one, the heap after a full collection,
 * before and after, and along the way.
 */
final class IdleConnections {

    record Sample(int connections, long rssBytes) {
    }

    record Result(int asked, int opened, int refused, double openSeconds, long rssBeforeBytes, long rssAfterBytes,
                  double rssPerConnectionKiB, Long heapBeforeBytes, Long heapAfterBytes, Double heapPerConnectionKiB,
                  List<Sample> samples) {
    }

    static Result run(Target target, int count) throws Exception {
        System.err.printf("  idle, %d SSE connections%n", count);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", target.port());
        OptionalLong heapBefore = target.heapBytesAfterGc();
        long rssBefore = target.rssBytes();
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(0, rssBefore));
        try (StreamClients clients = new StreamClients(2)) {
            byte[] request = target.sseRequest("idle");
            long start = System.nanoTime();
            clients.open(address, StreamConnection.Kind.SSE, count, i -> request);
            int nextSample = 1000;
            long deadline = System.currentTimeMillis() + 180_000;
            while (clients.opened.get() + clients.refused.get() + clients.lost.get() < count
                    && System.currentTimeMillis() < deadline) {
                if (clients.opened.get() >= nextSample) {
                    samples.add(new Sample(clients.opened.get(), target.rssBytes()));
                    nextSample += 1000;
                }
                Thread.sleep(10);
            }
            double openSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(3000);
            OptionalLong heapAfter = target.heapBytesAfterGc();
            long rssAfter = target.rssBytes();
            int opened = clients.live();
            samples.add(new Sample(opened, rssAfter));
            double rssPer = (rssAfter - rssBefore) / 1024.0 / Math.max(1, opened);
            Double heapPer = heapAfter.isPresent() && heapBefore.isPresent()
                    ? (heapAfter.getAsLong() - heapBefore.getAsLong()) / 1024.0 / Math.max(1, opened) : null;
            System.err.printf("    %d open in %.1f s (%d refused, %d lost); RSS %d -> %d MB (%.1f KiB each)%s%n",
                    opened, openSeconds, clients.refused.get(), clients.lost.get(), rssBefore >> 20, rssAfter >> 20,
                    rssPer, heapPer == null ? "" : String.format("; heap after GC %d -> %d MB (%.1f KiB each)",
                            heapBefore.getAsLong() >> 20, heapAfter.getAsLong() >> 20, heapPer));
            return new Result(count, opened, clients.refused.get(), openSeconds, rssBefore, rssAfter, rssPer,
                    heapBefore.isPresent() ? heapBefore.getAsLong() : null,
                    heapAfter.isPresent() ? heapAfter.getAsLong() : null, heapPer, samples);
        }
    }
}
