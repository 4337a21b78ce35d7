package dev.rivulet.hub;

/**
 * Where the hub, the gate and the transports report what passes through them, as it happens. The
 * hub knows nothing of how it is counted: ops turns each report into a metric. Every method must
 * be cheap and never block; it is called on publishing and draining threads.
 */
public interface Traffic {

    /** Reports nothing: for code that runs without CDI (tests, tools). */
    Traffic NONE = new Traffic() {
    };

    /** An event was accepted by this node's hub. */
    default void published(Event event) {
    }

    /**
     * {@code events} events were written to a client in one batch. {@code firstLive} is the oldest
     * of them that reached the client live, as the batch's sample of delivery latency; null when
     * all were replayed from history on a resume, whose age is the client's absence rather than the
     * hub's latency. Called once per batch, so a delivery costs no lock and no clock read.
     */
    default void delivered(Transport transport, int events, Event firstLive) {
    }

    /** Events a subscriber had taken but will never write: dropped by {@code drop-oldest}. */
    default void lagged(long events) {
    }

    /** Events still queued for a subscriber when it closed for {@code reason}; it will never write them. */
    default void discarded(Subscriber.CloseReason reason, long events) {
    }

    /** A client connection of {@code transport} ended, for {@code reason}. */
    default void closed(Transport transport, Subscriber.CloseReason reason) {
    }

    /** A subscription resumed from a client's id: from history, or after a gap notice. */
    default void resumed(boolean gap) {
    }

    /** A request was refused; {@code reason} is the stable problem slug (e.g. {@code publish-rate}). */
    default void rejected(String reason) {
    }
}
