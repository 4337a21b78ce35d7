package dev.rivulet.hub;

/** Where a broker hands every event, in id order, on each node: the node's {@link Hub}. */
@FunctionalInterface
public interface Fanout {

    /** Offers the event to the node's matching subscribers; answers how many took it. */
    int deliver(Event event);
}
