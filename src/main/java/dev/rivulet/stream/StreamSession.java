package dev.rivulet.stream;

import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.FrameCache;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Traffic;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One streaming HTTP response. Only its drain task writes to the socket: it runs on the shared
 * executor when the subscriber has something to send and returns when the queue is empty, so an
 * idle stream holds no thread, and a client that stops reading blocks only its own drain. A paced
 * stream with nothing it may send yet sets a timer instead of holding a thread.
 */
final class StreamSession implements Runnable {

    /** Events written per turn before the task yields its thread to other streams. */
    private static final int BATCH = 256;

    private final StreamEncoder encoder;
    /** What the client's token allows, and until when. */
    private final Grant grant;
    private final FrameCache<byte[]> frames;
    private final Function<Event, byte[]> encodeEvent;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Traffic traffic;
    private final Consumer<StreamSession> onEnd;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean timerSet = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();

    private AsyncContext async;
    private ServletOutputStream out;
    private Permit permit;
    private volatile Subscriber subscriber;
    private boolean openingSent;
    private volatile boolean keepAliveDue;
    private volatile boolean wroteSinceSweep;

    StreamSession(StreamEncoder encoder, FrameCache<byte[]> frames, Grant grant, Executor executor,
                  ScheduledExecutorService timer, Traffic traffic, Consumer<StreamSession> onEnd) {
        this.encoder = encoder;
        this.grant = grant;
        this.frames = frames;
        this.encodeEvent = encoder::encode;
        this.executor = executor;
        this.timer = timer;
        this.traffic = traffic;
        this.onEnd = onEnd;
    }

    /** Binds the stream to its response and starts draining; until then {@link #wake} does nothing. */
    void attach(AsyncContext async, ServletOutputStream out, Subscriber subscriber, Permit permit) {
        this.async = async;
        this.out = out;
        this.permit = permit;
        this.subscriber = subscriber;
        wake();
    }

    Subscriber subscriber() {
        return subscriber;
    }

    /** Schedules the drain task unless it is already scheduled or running. */
    void wake() {
        if (subscriber == null || ended.get() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            subscriber.close(Subscriber.CloseReason.SHUTDOWN);
            end();
        }
    }

    /**
     * Called by the keep-alive sweep: a stream that wrote nothing since the last sweep gets a
     * keep-alive, and one whose token has expired ends (a client that reconnects with it is refused).
     */
    void sweep() {
        Subscriber s = subscriber;
        if (s != null && grant.expiredAt(Instant.now())) {
            s.close(Subscriber.CloseReason.AUTH);
            return;
        }
        if (!wroteSinceSweep) {
            keepAliveDue = true;
            wake();
        }
        wroteSinceSweep = false;
    }

    @Override
    public void run() {
        Subscriber s = subscriber;
        try {
            if (!s.isClosed()) {
                drain(s);
            }
            if (s.finished()) {
                // The farewell is on the wire: the stream ends here.
                s.close(Subscriber.CloseReason.SHUTDOWN);
            }
        } catch (IOException | RuntimeException clientGone) {
            s.close(Subscriber.CloseReason.CLIENT_GONE);
        } finally {
            scheduled.set(false);
        }
        if (s.isClosed()) {
            end();
        } else if (keepAliveDue || s.hasPending()) {
            wake();
        } else {
            wakeAfter(s.nanosUntilReady());
        }
    }

    /** A paced stream wakes again when its next event may go. */
    private void wakeAfter(long nanos) {
        if (nanos <= 0 || !timerSet.compareAndSet(false, true)) {
            return;
        }
        try {
            timer.schedule(() -> {
                timerSet.set(false);
                wake();
            }, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            timerSet.set(false);
            subscriber.close(Subscriber.CloseReason.SHUTDOWN);
            end();
        }
    }

    private void drain(Subscriber s) throws IOException {
        boolean wrote = false;
        if (!openingSent) {
            out.write(encoder.opening(s.opening()));
            openingSent = true;
            wrote = true;
        }
        List<Event> written = null;
        for (int i = 0; i < BATCH; i++) {
            Outbound item = s.poll();
            if (item == null) {
                break;
            }
            if (item instanceof Event e) {
                // Every subscriber of this transport writes the same bytes for an event.
                out.write(frames.frame(e, encodeEvent));
                if (written == null) {
                    written = new ArrayList<>();
                }
                written.add(e);
            } else {
                out.write(encoder.encode(item));
            }
            wrote = true;
        }
        if (keepAliveDue) {
            keepAliveDue = false;
            if (!wrote) {
                out.write(encoder.keepAlive());
                wrote = true;
            }
        }
        if (wrote) {
            out.flush();
            wroteSinceSweep = true;
        }
        if (written != null) {
            for (Event e : written) {
                traffic.delivered(encoder.transport(), e, s.isLive(e));
            }
        }
    }

    /** Completes the response and releases everything the stream held. Runs once. */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        onEnd.accept(this);
        Subscriber.CloseReason reason = subscriber.closeReason();
        permit.release(reason == null ? Subscriber.CloseReason.SHUTDOWN : reason);
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container ended the request first (client gone); nothing left to release
        }
    }
}
