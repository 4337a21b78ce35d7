package dev.rivulet.gate;

import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits streaming connections of every transport (SSE, NDJSON, WebSocket) under one count: at
 * most {@code rivulet.connections.max} on the node, at most {@code rivulet.connections.max-per-client}
 * per client. Past a limit, and once the node drains for shutdown, {@link #admit} refuses with a
 * {@link Refusal} (503 with Retry-After). Every transport calls it before it starts a stream and
 * releases the {@link Permit} when the connection ends.
 */
@ApplicationScoped
public class ConnectionGate {

    private GateConfig config;
    private Traffic traffic;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger[] byTransport = new AtomicInteger[Transport.values().length];
    private final ConcurrentHashMap<String, Integer> byClient = new ConcurrentHashMap<>();
    /** Set once the node drains: the Retry-After every new connection is refused with. */
    private volatile Duration closed;

    protected ConnectionGate() {
        for (int i = 0; i < byTransport.length; i++) {
            byTransport[i] = new AtomicInteger();
        }
    }

    @Inject
    public ConnectionGate(GateConfig config, Traffic traffic) {
        this();
        this.config = config;
        this.traffic = traffic;
    }

    /**
     * Admits one connection of {@code transport} from {@code client} (see {@link Caller#key}), or
     * throws a {@link Refusal} that says which limit and when to retry.
     */
    public Permit admit(Transport transport, String client) {
        Duration shutdown = closed;
        if (shutdown != null) {
            throw refuse("draining", "Shutting down",
                    "this node is shutting down; connect again (to another node) after the Retry-After", shutdown);
        }
        int max = config.connectionsMax();
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw refuse("connection-limit", "Too many connections",
                    "this node holds its limit of " + max + " streaming connections", config.connectionsRetryAfter());
        }
        int perClient = config.connectionsMaxPerClient();
        if (perClient > 0 && !takeClientSlot(client, perClient)) {
            open.decrementAndGet();
            throw refuse("client-connection-limit", "Too many connections from this client",
                    "a client may hold " + perClient + " streaming connections at once", config.connectionsRetryAfter());
        }
        byTransport[transport.ordinal()].incrementAndGet();
        return new Permit(transport, client, this::release);
    }

    private boolean takeClientSlot(String client, int perClient) {
        boolean[] taken = {false};
        byClient.compute(client, (key, n) -> {
            int held = n == null ? 0 : n;
            if (held >= perClient) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    private void release(Permit permit, CloseReason reason) {
        open.decrementAndGet();
        byTransport[permit.transport().ordinal()].decrementAndGet();
        if (config.connectionsMaxPerClient() > 0) {
            byClient.computeIfPresent(permit.client(), (key, n) -> n <= 1 ? null : n - 1);
        }
        if (reason != null) {
            traffic.closed(permit.transport(), reason);
        }
    }

    private Refusal refuse(String slug, String title, String detail, Duration retryAfter) {
        return new Refusal(503, slug, title, detail, retryAfter);
    }

    /** From now on every connection is refused (the node drains); {@code retryAfter} goes with each refusal. */
    public void close(Duration retryAfter) {
        closed = retryAfter;
    }

    /** Streaming connections open on this node, all transports together. */
    public int open() {
        return open.get();
    }

    /** Streaming connections of one transport open on this node. */
    public int open(Transport transport) {
        return byTransport[transport.ordinal()].get();
    }

    /** The configured node-wide limit. */
    public int max() {
        return config.connectionsMax();
    }
}
