package dev.rivulet.stream;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.FrameCache;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Pace;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.ops.Drainable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's open SSE and NDJSON streams: opens them through the connection gate, sweeps them with
 * keep-alives, drains them for shutdown, ends them.
 */
@ApplicationScoped
public class StreamSessions implements Drainable {

    private static final Logger LOG = Logger.getLogger(StreamSessions.class.getName());

    /** The drainers' executor: Liberty's pool without per-task thread context (server.xml). */
    @Resource(lookup = "concurrent/drainers")
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Hub hub;

    @Inject
    ConnectionGate gate;

    @Inject
    Traffic traffic;

    @Inject
    StreamConfig config;

    private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();
    /** Each transport's encodings of recent events, shared by all its streams. */
    private final Map<Transport, FrameCache<byte[]>> frames = new EnumMap<>(Map.of(
            Transport.SSE, new FrameCache<>(), Transport.NDJSON, new FrameCache<>()));
    private ScheduledFuture<?> sweeper;
    private volatile long lastSweep = System.nanoTime();
    /** Set once the node drains: the farewell for streams that open after the drain began. */
    private volatile Supplier<ControlEvent> draining;

    @PostConstruct
    void startSweeper() {
        // Two sweeps per interval: a vanished client fails the second write, within one interval.
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, sweepInterval(), sweepInterval(), TimeUnit.MILLISECONDS);
    }

    /** Started with the application: the sweep runs (and liveness watches it) before the first stream. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        lastSweep = System.nanoTime();
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (StreamSession s : sessions) {
            Subscriber sub = s.subscriber();
            if (sub != null) {
                sub.close(Subscriber.CloseReason.SHUTDOWN);
            }
        }
    }

    /**
     * Starts a stream for the request: admits it through the gate (a {@link dev.rivulet.gate.Refusal}
     * when it may not open), subscribes, commits the headers, and leaves the request async.
     */
    void open(HttpServletRequest request, HttpServletResponse response, List<TopicSelector> selectors,
              Grant grant, String lastEventId, Pace pace, StreamEncoder encoder) throws IOException {
        String client = Caller.key(grant, request.getRemoteAddr());
        Permit permit = gate.admit(encoder.transport(), client);
        StreamSession session = new StreamSession(encoder, frames.get(encoder.transport()), grant, executor, scheduler, traffic,
                sessions::remove);
        Subscriber subscriber;
        try {
            // Input the hub refuses is still answered with a plain problem response.
            subscriber = hub.subscribe(selectors, grant.subscribe(), lastEventId, pace, session::wake);
        } catch (RuntimeException e) {
            permit.withdraw();
            throw e;
        }
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
            Supplier<ControlEvent> farewell = draining;
            if (farewell != null) {
                // Admitted just before the gate closed, added after the drain looked: it leaves too.
                subscriber.shutdown(farewell.get());
            }
            session.attach(async, response.getOutputStream(), subscriber, permit);
        } catch (IOException | RuntimeException e) {
            subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
            permit.release(Subscriber.CloseReason.CLIENT_GONE);
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
        lastSweep = System.nanoTime();
        try {
            for (StreamSession s : sessions) {
                s.sweep();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keep-alive sweep failed", e);
        }
    }

    private long sweepInterval() {
        return Math.max(100, config.keepAlive().toMillis() / 2);
    }

    /** How long ago the keep-alive sweep last ran, in milliseconds; liveness watches it. */
    public long millisSinceSweep() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastSweep);
    }

    /** How often the sweep runs, in milliseconds. */
    public long sweepIntervalMillis() {
        return sweepInterval();
    }

    /** Open streams on this node. */
    public int count() {
        return sessions.size();
    }

    @Override
    public void drain(Supplier<ControlEvent> farewell) {
        draining = farewell;
        for (StreamSession s : sessions) {
            // A session not attached yet is told by open(), which reads the field set above.
            Subscriber sub = s.subscriber();
            if (sub != null) {
                sub.shutdown(farewell.get());
            }
        }
    }

    @Override
    public int openConnections() {
        return sessions.size();
    }

    @Override
    public void forceClose() {
        for (StreamSession s : sessions) {
            Subscriber sub = s.subscriber();
            if (sub != null) {
                sub.close(Subscriber.CloseReason.SHUTDOWN);
                s.end();
            }
        }
    }
}
