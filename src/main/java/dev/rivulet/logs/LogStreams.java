package dev.rivulet.logs;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.ops.Drainable;
import dev.rivulet.stream.StreamConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's open log exports and tails: starts them on the shared executor, sweeps idle tails
 * with keep-alives (every {@code rivulet.sse.keep-alive}, like the hub's streams), drains them for
 * shutdown, ends them.
 *
 * <p>A tail is a streaming connection like the hub's: it is admitted through the connection gate
 * (as NDJSON or SSE) and counted under its limits. An export is finite and stays outside the gate;
 * a drain lets it run to its end within the grace, and the grace's end cuts it off.
 */
@ApplicationScoped
public class LogStreams implements Drainable {

    private static final Logger LOG = Logger.getLogger(LogStreams.class.getName());

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Hub hub;

    @Inject
    LogStore store;

    @Inject
    LogsConfig config;

    @Inject
    StreamConfig streamConfig;

    @Inject
    LogMetrics metrics;

    @Inject
    ConnectionGate gate;

    private final Set<LogStream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeper;
    /** Set once the node drains: the farewell for tails that open after the drain began. */
    private volatile Supplier<ControlEvent> draining;

    @PostConstruct
    void startSweeper() {
        // Two sweeps per interval: a vanished client fails the second write, within one interval.
        long half = Math.max(100, streamConfig.keepAlive().toMillis() / 2);
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, half, half, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (LogStream s : streams) {
            s.end(CloseReason.SHUTDOWN);
        }
    }

    /**
     * Answers the request with a stream for {@code query}; the request continues asynchronously.
     * A tail is admitted through the gate first, for the caller (see {@link dev.rivulet.gate.Caller#key}):
     * a {@link dev.rivulet.gate.Refusal} when it may not open.
     */
    void open(HttpServletRequest request, HttpServletResponse response, LogQuery query,
              Grant grant, LogFormat format, boolean gzip) {
        Permit permit = query.follow() ? gate.admit(format.transport(), Caller.key(grant, request.getRemoteAddr())) : null;
        LogStream stream = new LogStream(query, grant, format, gzip, store, hub, executor, metrics,
                config.fetchSize(), permit, streams::remove);
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (RuntimeException e) {
            if (permit != null) {
                permit.withdraw();
            }
            throw e;
        }
        async.setTimeout(0);
        async.addListener(new ClientGone(stream));
        streams.add(stream);
        metrics.streamOpened();
        try {
            stream.start(async, response);
        } catch (RuntimeException e) {
            stream.end(CloseReason.ERROR);
            throw e;
        }
        Supplier<ControlEvent> farewell = draining;
        if (farewell != null) {
            // Admitted just before the gate closed, added after the drain looked: it leaves too.
            stream.leave(farewell.get());
        }
    }

    /** Ends the stream when the container ends the request (the client went away). */
    private record ClientGone(LogStream stream) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            stream.clientGone();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.clientGone();
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.clientGone();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a stream is never restarted
        }
    }

    @Override
    public void drain(Supplier<ControlEvent> farewell) {
        draining = farewell;
        for (LogStream s : streams) {
            if (s.tail()) {
                s.leave(farewell.get());
            }
        }
    }

    /** Tails and exports: the drain waits for exports to end too, within the grace. */
    @Override
    public int openConnections() {
        return streams.size();
    }

    @Override
    public void forceClose() {
        for (LogStream s : streams) {
            s.end(CloseReason.SHUTDOWN);
        }
    }

    private void sweep() {
        try {
            for (LogStream s : streams) {
                s.sweep();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keep-alive sweep of log streams failed", e);
        }
    }
}
