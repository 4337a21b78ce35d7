package dev.rivulet.gate;

import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Transport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * One admitted streaming connection's place under the gate's limits. The transport releases it
 * exactly once when the connection ends, saying why; later releases do nothing.
 */
public final class Permit {

    private final Transport transport;
    private final String client;
    private final BiConsumer<Permit, CloseReason> onRelease;
    private final AtomicBoolean released = new AtomicBoolean();

    Permit(Transport transport, String client, BiConsumer<Permit, CloseReason> onRelease) {
        this.transport = transport;
        this.client = client;
        this.onRelease = onRelease;
    }

    /**
     * Gives the place back for a connection that never opened (its request was then refused for
     * its content): nothing is counted as closed. Idempotent, like {@link #release}.
     */
    public void withdraw() {
        if (released.compareAndSet(false, true)) {
            onRelease.accept(this, null);
        }
    }

    public Transport transport() {
        return transport;
    }

    String client() {
        return client;
    }

    /** Gives the place back: the connection ended for {@code reason}. Idempotent. */
    public void release(CloseReason reason) {
        if (released.compareAndSet(false, true)) {
            onRelease.accept(this, reason);
        }
    }
}
