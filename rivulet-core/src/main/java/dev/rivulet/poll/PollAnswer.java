package dev.rivulet.poll;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.NdjsonEncoder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One long poll's answer: {@code {"events":[…],"next":cursor}}, the events being the envelopes the
 * NDJSON stream writes. While it waits the poll holds its subscription and a timer, never a
 * thread: the connection's writer starts only when the answer is due, which is at once when
 * history has events after the cursor; a coalescing window after the first live event (at once
 * when {@code limit} are waiting); at the timeout; or when the node drains. The writer writes the
 * answer once and the connection ends.
 */
final class PollAnswer implements Connection.Feed {

    private final Connection connection;
    private final int limit;
    private final Duration coalesce;
    private final ScheduledExecutorService timers;
    private final Traffic traffic;
    /** Set once the first live event armed the coalescing window. */
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile Subscriber subscriber;
    private volatile ScheduledFuture<?> timeout;
    private volatile ScheduledFuture<?> window;
    private AsyncContext async;
    private HttpServletResponse response;
    /** Touched by the writer only. */
    private boolean answered;

    PollAnswer(Connection connection, int limit, Duration coalesce, ScheduledExecutorService timers, Traffic traffic) {
        this.connection = connection;
        this.limit = limit;
        this.coalesce = coalesce;
        this.timers = timers;
        this.traffic = traffic;
    }

    /**
     * The subscription's wake, on the publisher's thread. The first event opens the coalescing
     * window; {@code limit} events waiting answer at once; a subscription the hub ended answers too.
     */
    void subscriptionChanged() {
        Subscriber s = subscriber;
        if (s == null) {
            // Still subscribing: what is there by then is looked at in begin().
            return;
        }
        if (s.isClosed()) {
            connection.close(s.closeReason());
        } else if (coalesce.isZero() || s.depth() >= limit) {
            connection.wake();
        } else if (armed.compareAndSet(false, true)) {
            window = timers.schedule(connection::wake, coalesce.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The subscription and the response the answer goes to; before the connection starts. */
    void bind(Subscriber s, AsyncContext async, HttpServletResponse response) {
        this.async = async;
        this.response = response;
        this.subscriber = s;
    }

    /**
     * Starts waiting, once the connection is open: answers at once when there is something to hand
     * out now (history after the cursor, or a gap notice), else at the first event or after {@code wait}.
     */
    void await(Duration wait) {
        if (subscriber.hasPending() || wait.isZero()) {
            connection.wake();
        } else {
            timeout = timers.schedule(connection::wake, wait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Connection.Turn write() throws IOException {
        if (answered) {
            return Connection.Turn.IDLE;
        }
        boolean farewell = answer();
        connection.close(farewell ? CloseReason.SHUTDOWN : CloseReason.DONE);
        return Connection.Turn.WROTE;
    }

    /** Writes the answer from what the subscriber has now; true when it carried the drain's farewell. */
    private boolean answer() throws IOException {
        answered = true;
        Subscriber s = subscriber;
        Cursor next = s.opening();
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        body.writeBytes("{\"events\":[".getBytes(StandardCharsets.UTF_8));
        int events = 0;
        int items = 0;
        Event firstLive = null;
        boolean farewell = false;
        for (Outbound item; events < limit && (item = s.poll()) != null; items++) {
            if (items > 0) {
                body.write(',');
            }
            byte[] line = NdjsonEncoder.line(item);
            body.write(line, 0, line.length - 1);
            if (item instanceof Event e) {
                events++;
                next = e.id();
                if (firstLive == null && s.isLive(e)) {
                    firstLive = e;
                }
            } else if (item instanceof ControlEvent c && "shutdown".equals(c.type())) {
                farewell = true;
                break;
            }
        }
        body.writeBytes(("],\"next\":\"" + next + "\"}").getBytes(StandardCharsets.UTF_8));
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        var out = response.getOutputStream();
        body.writeTo(out);
        out.flush();
        if (events > 0) {
            traffic.delivered(Transport.LONGPOLL, events, firstLive);
        }
        return farewell;
    }

    @Override
    public void leave(ControlEvent farewell) {
        // The connection wakes right after: the answer carries what was queued, then the farewell.
        subscriber.shutdown(farewell);
    }

    @Override
    public void closing(CloseReason reason) {
        cancel(timeout);
        cancel(window);
        Subscriber s = subscriber;
        if (s != null && reason != CloseReason.DONE && reason != CloseReason.SHUTDOWN) {
            s.close(reason);
        }
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    @Override
    public void end(CloseReason reason) {
        try {
            if (!answered && subscriber != null && reason != CloseReason.CLIENT_GONE && reason != CloseReason.ERROR) {
                // Ended before it was due (too slow, token expired, forced shutdown): it answers
                // with what it has, and the next poll goes on from there.
                answer();
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away; nothing left to tell it
        } finally {
            Subscriber s = subscriber;
            if (s != null) {
                s.close(reason);
            }
            try {
                if (async != null) {
                    async.complete();
                }
            } catch (RuntimeException alreadyDone) {
                // the container ended the request first (client gone)
            }
        }
    }
}
