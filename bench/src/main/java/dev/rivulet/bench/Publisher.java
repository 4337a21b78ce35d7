package dev.rivulet.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Publishes at a set rate over a few keep-alive HTTP/1.1 connections, one thread each, on a fixed
 * schedule (event i is due at start + i / rate, whatever the server's answer time), stamping each
 * event with {@code System.nanoTime()} just before it is written. The stamp is
 * {@code @<nanos>@} inside the body the server under test expects. Or, closed loop, as fast as the
 * server answers: each connection sends its next event when the last one's answer has arrived.
 * Either way each request waits for its answer, so a server that stops answering stops publishing.
 */
final class Publisher {

    /**
     * What one publishing run did. {@code answeredNanos} holds when each successful answer arrived,
     * in order, from the start of the schedule; {@code roundTrips} each request's time from its
     * write to its answer, in microseconds.
     */
    record Outcome(long published, long failed, double seconds, long[] answeredNanos, Histogram roundTrips) {
        double rate() {
            return published / seconds;
        }

        /**
         * The longest wait for an answer: between two answered publishes, or from the start to the
         * first. At 200 a second the schedule alone leaves 5 ms; a server that stops answering
         * shows here as seconds.
         */
        double longestGapMillis() {
            long last = 0;
            long gap = 0;
            for (long t : answeredNanos) {
                gap = Math.max(gap, t - last);
                last = t;
            }
            return gap / 1e6;
        }

        /** Publishes answered in each second of the run, from its start. */
        List<Integer> perSecond() {
            int[] counts = new int[(int) Math.ceil(seconds)];
            for (long t : answeredNanos) {
                counts[(int) Math.min(counts.length - 1, t / 1_000_000_000L)]++;
            }
            return Arrays.stream(counts).boxed().toList();
        }
    }

    private final InetSocketAddress server;
    private final Target target;
    private final int connections;
    /** Padding in each event's body; negative for the target's default body. */
    private final int padBytes;

    Publisher(InetSocketAddress server, Target target, int connections) {
        this(server, target, connections, -1);
    }

    /** Events padded with {@code padBytes} bytes, so each is about that size. */
    Publisher(InetSocketAddress server, Target target, int connections, int padBytes) {
        this.server = server;
        this.target = target;
        this.connections = connections;
        this.padBytes = padBytes;
    }

    /** Publishes to {@code topicOf(i)} at {@code rate} a second for {@code seconds}. */
    Outcome run(double rate, double seconds, IntFunction<String> topicOf, boolean roomMessage) throws InterruptedException {
        return publish(rate, seconds, topicOf, roomMessage);
    }

    /** Publishes to {@code topicOf(i)} for {@code seconds}, each connection as fast as it is answered. */
    Outcome closedLoop(double seconds, IntFunction<String> topicOf) throws InterruptedException {
        return publish(0, seconds, topicOf, false);
    }

    /** {@code rate} 0: closed loop until {@code seconds} have passed. */
    private Outcome publish(double rate, double seconds, IntFunction<String> topicOf, boolean roomMessage)
            throws InterruptedException {
        boolean paced = rate > 0;
        long total = paced ? Math.max(1, Math.round(rate * seconds)) : Long.MAX_VALUE;
        double interval = paced ? 1e9 / rate : 0;
        int threads = (int) Math.min(connections, total);
        AtomicLong published = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime() + 5_000_000;
        long end = start + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        List<long[]> answered = new ArrayList<>();
        List<Histogram> roundTrips = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Answers answers = new Answers();
            Histogram rtt = new Histogram(StreamConnection.MAX_LATENCY_MICROS, 3);
            roundTrips.add(rtt);
            Thread w = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(server, 5000);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    for (long i = first; i < total; i += threads) {
                        if (paced) {
                            long due = start + (long) (i * interval);
                            long wait = due - System.nanoTime();
                            if (wait > 20_000) {
                                LockSupport.parkNanos(wait);
                            }
                        } else if (System.nanoTime() >= end) {
                            break;
                        }
                        long sent = System.nanoTime();
                        String stamp = "@" + sent + "@";
                        String body = roomMessage ? target.roomMessage(stamp)
                                : padBytes >= 0 ? target.eventBody(stamp, padBytes) : target.eventBody(stamp);
                        out.write(request(topicOf.apply((int) i), body));
                        out.flush();
                        int status = readResponse(in);
                        long now = System.nanoTime();
                        if (status / 100 == 2) {
                            published.incrementAndGet();
                            answers.add(now - start);
                            rtt.recordValue(Math.min((now - sent) / 1000, StreamConnection.MAX_LATENCY_MICROS));
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                } finally {
                    synchronized (answered) {
                        answered.add(answers.toArray());
                    }
                }
            }, "publisher-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = answered.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Histogram rtt = new Histogram(StreamConnection.MAX_LATENCY_MICROS, 3);
        roundTrips.forEach(rtt::add);
        return new Outcome(published.get(), failed.get(), Math.max(elapsed, seconds), all, rtt);
    }

    /** One connection's answer times: a growing array, no boxing. */
    private static final class Answers {
        private long[] times = new long[1024];
        private int size;

        void add(long t) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
            }
            times[size++] = t;
        }

        long[] toArray() {
            return Arrays.copyOf(times, size);
        }
    }

    private byte[] request(String topic, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + target.publishPath(topic) + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + target.authorization()
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    /** Reads one response (Content-Length or chunked body) and answers its status. */
    static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = 0;
        boolean chunked = false;
        String h;
        while (!(h = line(in)).isEmpty()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            long size;
            while ((size = Long.parseLong(line(in).split(";")[0].trim(), 16)) > 0) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else {
            skip(in, length);
        }
        return code;
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed");
                }
                s = 1;
            }
            n -= s;
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
