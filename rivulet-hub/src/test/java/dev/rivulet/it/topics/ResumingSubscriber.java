package dev.rivulet.it.topics;

import dev.rivulet.it.topics.EventStreamClient.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A well-behaved SSE subscriber on its own thread, like a browser's EventSource: it reads
 * everything as fast as it can and, when the server ends its stream, reconnects with
 * {@code Last-Event-ID} set to the last id it received. It stops once it has received an event
 * with an id at or after the target the test sets (keeping that connection open until
 * {@link #close}), or when a read fails.
 */
final class ResumingSubscriber implements Runnable {

    private final String path;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Long> ids = Collections.synchronizedList(new ArrayList<>());
    private final List<StreamMessage> unexpected = Collections.synchronizedList(new ArrayList<>());
    private volatile long target = Long.MAX_VALUE;
    private volatile int connections;
    private volatile Throwable failure;
    private volatile EventStreamClient current;

    ResumingSubscriber(String path) {
        this.path = path;
    }

    /** Starts reading on a new thread and waits until the first stream is open. */
    static ResumingSubscriber start(String path, Duration within) throws InterruptedException {
        ResumingSubscriber s = new ResumingSubscriber(path);
        Thread t = new Thread(s, "resuming-subscriber");
        t.setDaemon(true);
        t.start();
        if (!s.opened.await(within.toMillis(), TimeUnit.MILLISECONDS) && s.failure == null) {
            throw new AssertionError("the subscriber's stream did not open within " + within.toSeconds() + " s");
        }
        if (s.failure != null) {
            throw new AssertionError("the subscriber failed to open its stream", s.failure);
        }
        return s;
    }

    @Override
    public void run() {
        String lastId = null;
        try {
            while (true) {
                EventStreamClient client = EventStreamClient.open(path, Format.SSE, lastId);
                current = client;
                connections++;
                opened.countDown();
                StreamMessage m;
                while (!reachedTarget() && (m = client.next()) != null) {
                    if (m.isEvent()) {
                        ids.add(Long.parseLong(m.id()));
                        lastId = m.id();
                    } else if (!m.isKeepAlive()) {
                        unexpected.add(m);
                    }
                }
                if (reachedTarget()) {
                    return; // the connection stays open until close()
                }
                client.close(); // the server ended the stream: resume where it left off
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            opened.countDown();
            finished.countDown();
        }
    }

    private boolean reachedTarget() {
        synchronized (ids) {
            return !ids.isEmpty() && ids.get(ids.size() - 1) >= target;
        }
    }

    /** Tells the subscriber the last id it should wait for. */
    void stopAfter(long lastId) {
        target = lastId;
    }

    /** Waits until the subscriber has stopped; false if it is still reading after {@code within}. */
    boolean awaitFinished(Duration within) throws InterruptedException {
        return finished.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Event ids in the order received, across all connections (duplicates kept). */
    List<Long> ids() {
        synchronized (ids) {
            return List.copyOf(ids);
        }
    }

    /** Messages other than events and keep-alives (gap, lagged, anything unparseable). */
    List<StreamMessage> unexpected() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    int connections() {
        return connections;
    }

    Throwable failure() {
        return failure;
    }

    /** Closes the current connection; a thread still reading then fails and ends. */
    void close() {
        EventStreamClient c = current;
        if (c != null) {
            c.close();
        }
    }
}
