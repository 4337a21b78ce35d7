package dev.rivulet.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Publishes at a set rate over a few keep-alive HTTP/1.1 connections, one thread each, on a fixed
 * schedule (event i is due at start + i / rate, whatever the server's answer time), stamping each
 * event with {@code System.nanoTime()} just before it is written. The stamp is
 * {@code @<nanos>@} inside the body the server under test expects.
 */
final class Publisher {

    /** What one publishing step did. */
    record Outcome(long published, long failed, double seconds) {
        double rate() {
            return published / seconds;
        }
    }

    private final InetSocketAddress server;
    private final Target target;
    private final int connections;

    Publisher(InetSocketAddress server, Target target, int connections) {
        this.server = server;
        this.target = target;
        this.connections = connections;
    }

    /** Publishes to {@code topicOf(i)} at {@code rate} a second for {@code seconds}. */
    Outcome run(double rate, double seconds, IntFunction<String> topicOf, boolean roomMessage) throws InterruptedException {
        long total = Math.max(1, Math.round(rate * seconds));
        double interval = 1e9 / rate;
        int threads = (int) Math.min(connections, total);
        AtomicLong published = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime() + 5_000_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread w = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(server, 5000);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    for (long i = first; i < total; i += threads) {
                        long due = start + (long) (i * interval);
                        long wait = due - System.nanoTime();
                        if (wait > 20_000) {
                            LockSupport.parkNanos(wait);
                        }
                        String stamp = "@" + System.nanoTime() + "@";
                        String body = roomMessage ? target.roomMessage(stamp) : target.eventBody(stamp);
                        out.write(request(topicOf.apply((int) i), body));
                        out.flush();
                        if (readResponse(in) / 100 == 2) {
                            published.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            }, "publisher-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Outcome(published.get(), failed.get(), Math.max(elapsed, seconds));
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
