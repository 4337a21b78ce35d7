package dev.rivulet.stream;

import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.TopicSelector;
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
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The node's open SSE and NDJSON streams: opens them, sweeps them with keep-alives, ends them. */
@ApplicationScoped
public class StreamSessions {

    private static final Logger LOG = Logger.getLogger(StreamSessions.class.getName());

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Hub hub;

    @Inject
    StreamConfig config;

    private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeper;

    @PostConstruct
    void startSweeper() {
        // Two sweeps per interval: a vanished client fails the second write, within one interval.
        long half = Math.max(100, config.keepAlive().toMillis() / 2);
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, half, half, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (StreamSession s : sessions) {
            s.subscriber().close(Subscriber.CloseReason.SHUTDOWN);
        }
    }

    /** Starts a stream for the request: subscribes, commits the headers, and leaves the request async. */
    void open(HttpServletRequest request, HttpServletResponse response, List<TopicSelector> selectors,
              String lastEventId, StreamEncoder encoder) throws IOException {
        StreamSession session = new StreamSession(encoder, executor, sessions::remove);
        // Subscribing first: input it refuses is still answered with a plain problem response.
        Subscriber subscriber = hub.subscribe(selectors, lastEventId, session::wake);
        try {
            response.setStatus(200);
            response.setContentType(encoder.contentType());
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            async.addListener(new ClientGone(subscriber));
            // Send the headers now; some clients wait for them before they count the stream as open.
            response.flushBuffer();
            sessions.add(session);
            session.attach(async, response.getOutputStream(), subscriber);
        } catch (IOException | RuntimeException e) {
            subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
            throw e;
        }
    }

    /** Ends the subscription when the container ends the request (the client went away). */
    private record ClientGone(Subscriber subscriber) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
        }

        @Override
        public void onError(AsyncEvent event) {
            subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a stream is never restarted
        }
    }

    private void sweep() {
        try {
            for (StreamSession s : sessions) {
                s.sweep();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keep-alive sweep failed", e);
        }
    }

    /** Open streams on this node. */
    public int count() {
        return sessions.size();
    }
}
