package dev.rivulet.hub;

/**
 * The answer to a publish: the event as stored, how many of this node's subscribers it was handed
 * to, and how many nodes received it (1 on a single node).
 */
public record Published(Event event, int deliveredTo, int nodes) {

    /** A publish on a single node. */
    public Published(Event event, int deliveredTo) {
        this(event, deliveredTo, 1);
    }
}
