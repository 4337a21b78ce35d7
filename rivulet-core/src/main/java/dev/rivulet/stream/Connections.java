package dev.rivulet.stream;

import dev.rivulet.gate.Permit;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Drainable;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Transport;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every open {@link Connection} of the node, whatever its transport: opens them, sweeps them
 * (keep-alives and token expiry, twice per {@code rivulet.sse.keep-alive}), drains them for
 * shutdown, and forgets them when they end.
 */
@ApplicationScoped
public class Connections implements Drainable {

    private static final Logger LOG = Logger.getLogger(Connections.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    StreamConfig config;

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeper;
    /** Set once the node drains: the farewell for connections that open after the drain began. */
    private volatile Supplier<ControlEvent> draining;

    @PostConstruct
    void startSweeper() {
        // Two sweeps per interval: a silent connection gets a keep-alive within one interval, and a
        // vanished client fails the second write, within one interval too.
        long every = Math.max(100, config.keepAlive().toMillis() / 2);
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        forceClose();
    }

    /**
     * A new connection of {@code transport} under {@code permit} (null for one outside the gate, a
     * finite export), not yet open: its feed is made for it, then {@link #start} opens it. Until
     * then nothing is registered, so a request refused while its feed is made only gives its permit back.
     *
     * @param expires   when the client's token expires and the connection must end; null for never
     * @param keepAlive whether a silent connection gets the feed's keep-alive
     */
    public Connection create(Transport transport, Permit permit, Instant expires, boolean keepAlive) {
        return new Connection(transport, permit, expires, keepAlive ? 1 : 0, open::remove);
    }

    /** Opens {@code connection}: registers it and starts its writer on {@code feed}'s output. */
    public void start(Connection connection, Connection.Feed feed) {
        open(connection, () -> connection.start(feed));
    }

    /**
     * Opens {@code connection} like {@link #start}, but its writer starts only when it is first
     * woken: for a connection that waits, holding no thread, for the one answer it writes.
     */
    public void startOnWake(Connection connection, Connection.Feed feed) {
        open(connection, () -> connection.startOnWake(feed));
    }

    private void open(Connection connection, Runnable start) {
        open.add(connection);
        start.run();
        Supplier<ControlEvent> farewell = draining;
        if (farewell != null) {
            // Admitted just before the gate closed, added after the drain looked: it leaves too.
            connection.leave(farewell.get());
        }
    }

    private void sweep() {
        try {
            Instant now = Instant.now();
            for (Connection c : open) {
                c.sweep(now);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Keep-alive sweep failed", e);
        }
    }

    @Override
    public void drain(Supplier<ControlEvent> farewell) {
        draining = farewell;
        for (Connection c : open) {
            c.leave(farewell.get());
        }
    }

    @Override
    public int openConnections() {
        return open.size();
    }

    @Override
    public void forceClose() {
        for (Connection c : open) {
            c.close(CloseReason.SHUTDOWN);
        }
    }
}
