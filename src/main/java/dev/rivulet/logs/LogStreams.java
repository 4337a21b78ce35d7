package dev.rivulet.logs;

import dev.rivulet.hub.Hub;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's open log exports and tails: starts them on the shared executor, sweeps idle tails
 * with keep-alives (every {@code rivulet.sse.keep-alive}, like the hub's streams), ends them.
 */
@ApplicationScoped
public class LogStreams {

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

    private final Set<LogStream> streams = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeper;

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
            s.end();
        }
    }

    /** Answers the request with a stream for {@code query}; the request continues asynchronously. */
    void open(HttpServletRequest request, HttpServletResponse response, LogQuery query, LogFormat format,
              boolean gzip) {
        LogStream stream = new LogStream(query, format, gzip, store, hub, executor, metrics, config.fetchSize(),
                streams::remove);
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        async.addListener(new ClientGone(stream));
        streams.add(stream);
        metrics.streamOpened();
        stream.start(async, response);
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
