package dev.rivulet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Recorder;

/**
 * The generator's subscribers: thousands of streaming connections on a few selector threads
 * (java.nio, no thread per connection), each stamping the receipt of every event it reads into
 * one latency recorder. New connections are opened a bounded number at a time per thread, as a
 * crowd of reconnecting clients would arrive, not all in one SYN burst.
 */
final class StreamClients implements AutoCloseable {

    private static final int IN_FLIGHT_PER_THREAD = 128;

    final Recorder latencies = new Recorder(StreamConnection.MAX_LATENCY_MICROS, 3);
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger lost = new AtomicInteger();

    private final List<Loop> loops = new ArrayList<>();
    private int next;

    StreamClients(int threads) throws IOException {
        for (int i = 0; i < threads; i++) {
            Loop loop = new Loop();
            loops.add(loop);
            Thread t = new Thread(loop, "stream-clients-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Queues {@code count} connections, each sending {@code request(i)}. */
    void open(InetSocketAddress server, StreamConnection.Kind kind, int count, java.util.function.IntFunction<byte[]> request) {
        for (int i = 0; i < count; i++) {
            Loop loop = loops.get(next++ % loops.size());
            loop.pending.add(new Opening(server, kind, request.apply(i)));
            loop.selector.wakeup();
        }
    }

    /** Waits until {@code count} streams are open or have failed; answers whether all opened. */
    boolean awaitOpen(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (opened.get() + refused.get() + lost.get() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return opened.get() >= count;
    }

    int live() {
        return opened.get() - lost.get();
    }

    @Override
    public void close() throws InterruptedException {
        for (Loop loop : loops) {
            loop.running = false;
            loop.selector.wakeup();
        }
        for (Loop loop : loops) {
            loop.done.await();
        }
    }

    private record Opening(InetSocketAddress server, StreamConnection.Kind kind, byte[] request) {
    }

    private final class Loop implements Runnable {
        final Selector selector;
        final ConcurrentLinkedQueue<Opening> pending = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean running = true;
        int connecting;

        Loop() throws IOException {
            selector = Selector.open();
        }

        @Override
        public void run() {
            try {
                while (running) {
                    startConnections();
                    selector.select(20);
                    long now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        handle(key, now);
                    }
                    selector.selectedKeys().clear();
                }
                for (SelectionKey key : selector.keys()) {
                    ((StreamConnection) key.attachment()).close();
                }
                selector.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } finally {
                done.countDown();
            }
        }

        private void startConnections() {
            Opening o;
            while (connecting < IN_FLIGHT_PER_THREAD && (o = pending.poll()) != null) {
                try {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    StreamConnection c = new StreamConnection(ch, o.kind(), o.request());
                    connecting++;
                    if (ch.connect(o.server())) {
                        c.connected();
                        ch.register(selector, SelectionKey.OP_READ, c);
                    } else {
                        ch.register(selector, SelectionKey.OP_CONNECT, c);
                    }
                } catch (IOException e) {
                    connecting--;
                    refused.incrementAndGet();
                }
            }
        }

        private void handle(SelectionKey key, long now) {
            StreamConnection c = (StreamConnection) key.attachment();
            try {
                if (key.isConnectable()) {
                    c.channel.finishConnect();
                    c.connected();
                    key.interestOps(SelectionKey.OP_READ);
                    return;
                }
                while (true) {
                    buffer.clear();
                    int n = c.channel.read(buffer);
                    if (n < 0) {
                        throw new IOException("end of stream");
                    }
                    if (n == 0) {
                        return;
                    }
                    int r = c.read(buffer.array(), 0, n, now, latencies);
                    if (r > 0) {
                        connecting--;
                        opened.incrementAndGet();
                    } else if (r < 0) {
                        connecting--;
                        refused.incrementAndGet();
                        key.cancel();
                        c.close();
                        return;
                    }
                    if (n < buffer.capacity()) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                boolean open = c.isOpen();
                key.cancel();
                c.close();
                if (open) {
                    lost.incrementAndGet();
                } else {
                    connecting--;
                    refused.incrementAndGet();
                }
            }
        }
    }
}
