package dev.rivulet.hub;

import java.util.List;

/**
 * What a transport asks the hub for when it subscribes: the selectors; the topics whose private
 * events the reader may see; the id to resume after (null: start now); the pace (null: as fast as
 * it writes); and what to call when the subscriber has something to write or has closed.
 */
public record Subscription(List<TopicSelector> selectors, List<TopicSelector> privateAccess, String lastEventId,
                           Pace pace, Runnable wake) {

    public Subscription {
        selectors = List.copyOf(selectors);
        privateAccess = List.copyOf(privateAccess);
    }

    /** Public events of {@code selectors} from now on, unpaced. */
    public static Subscription to(List<TopicSelector> selectors, Runnable wake) {
        return new Subscription(selectors, List.of(), null, null, wake);
    }

    /** The same, for a reader who may also see the private events of the topics {@code access} covers. */
    public Subscription seeing(List<TopicSelector> access) {
        return new Subscription(selectors, access, lastEventId, pace, wake);
    }

    /** The same, resumed after {@code id} (null: from now). */
    public Subscription after(String id) {
        return new Subscription(selectors, privateAccess, id, pace, wake);
    }

    /** The same, paced (null: as fast as the transport writes). */
    public Subscription paced(Pace p) {
        return new Subscription(selectors, privateAccess, lastEventId, p, wake);
    }
}
