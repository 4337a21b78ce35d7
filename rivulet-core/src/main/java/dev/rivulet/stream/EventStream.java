package dev.rivulet.stream;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Traffic;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.util.function.Function;

/**
 * One SSE or NDJSON response: the events of one subscription, framed by its encoder. The opening
 * cursor goes first; then, each turn, up to a batch of what the subscriber hands out, in one flush.
 * After a drain's farewell the stream ends.
 */
final class EventStream implements Connection.Feed {

    /** Events written per turn, in one flush, before the writer lets other connections write. */
    static final int BATCH = 256;

    private final Connection connection;
    private final StreamEncoder encoder;
    private final FrameCache<byte[]> frames;
    private final Function<Event, byte[]> encodeEvent;
    private final Traffic traffic;
    private volatile Subscriber subscriber;
    private AsyncContext async;
    private ServletOutputStream out;
    private boolean openingSent;

    EventStream(Connection connection, StreamEncoder encoder, FrameCache<byte[]> frames, Traffic traffic) {
        this.connection = connection;
        this.encoder = encoder;
        this.frames = frames;
        this.encodeEvent = encoder::encode;
        this.traffic = traffic;
    }

    /** The subscription this stream writes; before the writer starts. */
    void subscribed(Subscriber subscriber) {
        this.subscriber = subscriber;
    }

    /** The response it writes to; before the writer starts. */
    void bind(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /**
     * The subscription's wake: called on publishers' threads whenever it has something to hand
     * out or has closed. One the hub ended (too slow) closes the connection at once, with that
     * reason, even while the writer is stuck in a write to a client that stopped reading.
     */
    void subscriptionChanged() {
        Subscriber s = subscriber;
        if (s != null && s.isClosed()) {
            connection.close(s.closeReason());
        } else {
            connection.wake();
        }
    }

    @Override
    public Connection.Turn write() throws IOException {
        Subscriber s = subscriber;
        if (s.isClosed()) {
            // Too slow, or the client left: the hub has let it go already.
            connection.close(s.closeReason());
            return Connection.Turn.IDLE;
        }
        boolean wrote = false;
        if (!openingSent) {
            out.write(encoder.opening(s.opening()));
            openingSent = true;
            wrote = true;
        }
        int items = 0;
        int events = 0;
        Event firstLive = null;
        for (Outbound item; items < BATCH && (item = s.poll()) != null; items++) {
            if (item instanceof Event e) {
                // Every subscriber of this transport writes the same bytes for an event.
                out.write(frames.frame(e, encodeEvent));
                events++;
                if (firstLive == null && s.isLive(e)) {
                    firstLive = e;
                }
            } else {
                out.write(encoder.encode(item));
            }
        }
        wrote |= items > 0;
        if (wrote) {
            out.flush();
        }
        if (events > 0) {
            traffic.delivered(encoder.transport(), events, firstLive);
        }
        if (s.finished()) {
            // The farewell is on the wire: the stream ends here.
            connection.close(CloseReason.SHUTDOWN);
        }
        return items == BATCH ? Connection.Turn.FULL : wrote ? Connection.Turn.WROTE : Connection.Turn.IDLE;
    }

    @Override
    public void keepAlive() throws IOException {
        out.write(encoder.keepAlive());
        out.flush();
    }

    @Override
    public long nanosUntilReady() {
        return subscriber.nanosUntilReady();
    }

    @Override
    public void leave(ControlEvent farewell) {
        subscriber.shutdown(farewell);
    }

    @Override
    public void closing(CloseReason reason) {
        subscriber.close(reason);
    }

    @Override
    public void end(CloseReason reason) {
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container ended the request first (client gone); nothing left to release
        }
    }
}
