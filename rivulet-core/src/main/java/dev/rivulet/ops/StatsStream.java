package dev.rivulet.ops;

import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.SseEncoder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * One watcher of {@code GET /api/stats}: an SSE stream of {@code event: stats} samples, the newest
 * only (a watcher that falls behind skips samples rather than queueing them), on the connection
 * every stream writes through.
 */
final class StatsStream implements Connection.Feed {

    private static final SseEncoder SSE = new SseEncoder();

    private final Connection connection;
    private final Consumer<StatsStream> onEnd;
    private volatile String pending;
    private volatile ControlEvent farewell;
    private AsyncContext async;
    private ServletOutputStream out;

    StatsStream(Connection connection, Consumer<StatsStream> onEnd) {
        this.connection = connection;
        this.onEnd = onEnd;
    }

    void bind(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /** The newest sample: it replaces one not yet written. */
    void offer(String sample) {
        pending = sample;
        connection.wake();
    }

    @Override
    public Connection.Turn write() throws IOException {
        String s = pending;
        ControlEvent bye = farewell;
        if (s == null && bye == null) {
            return Connection.Turn.IDLE;
        }
        if (s != null) {
            pending = null;
            out.write(SSE.encode(new ControlEvent("stats", s)));
        }
        if (bye != null) {
            out.write(SSE.encode(bye));
        }
        out.flush();
        if (bye != null) {
            connection.close(CloseReason.SHUTDOWN);
        }
        return Connection.Turn.WROTE;
    }

    @Override
    public void keepAlive() throws IOException {
        out.write(SSE.keepAlive());
        out.flush();
    }

    @Override
    public void leave(ControlEvent bye) {
        farewell = bye;
    }

    @Override
    public void closing(CloseReason reason) {
        onEnd.accept(this);
    }

    @Override
    public void end(CloseReason reason) {
        try {
            async.complete();
        } catch (RuntimeException alreadyDone) {
            // the container ended the request first (client gone)
        }
    }
}
