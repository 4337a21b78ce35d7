package dev.rivulet.hub;

import java.util.List;

/**
 * Where events get their ids, their retained history and their way to every node. The memory
 * broker serves one node; a cluster broker (Redis) keeps ids, history and fan-out in a shared
 * server, so ids are valid on every node and history can be read from any of them.
 */
public interface Broker {

    /** Registers this node's hub: every event published on any node is handed to it, in id order. */
    void deliverTo(Fanout fanout);

    /**
     * Assigns the event its id (greater than every id assigned before, across all topics), appends
     * it to the topic's history, and hands it to every node. Answers with the event and how many
     * subscribers took it. The draft's {@link EventMeta} is stored and handed out with the event.
     */
    Published publish(Draft draft);

    /** Publishes a native event, as {@link #publish(Draft)} does. */
    default Published publish(String topic, String type, String data, boolean privateEvent) {
        return publish(new Draft(topic, type, data, privateEvent));
    }

    /**
     * Publishes {@code drafts} in their order, each as {@link #publish} does; a broker that reaches
     * its store over the network sends them together. Answers the events published.
     */
    default List<Event> publishAll(List<Draft> drafts) {
        List<Event> events = new java.util.ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            events.add(publish(d).event());
        }
        return events;
    }

    /** The newest id assigned; a stream that starts now starts after it. */
    Cursor latest();

    /**
     * Retained events that {@code selectors} match (by topic or alternate topic) with ids after {@code since}
     * (every retained event when null), oldest first, at most {@code limit}. Marks the replay
     * expired when history no longer reaches back to {@code since} for some selected topic.
     */
    Replay replay(List<TopicSelector> selectors, Cursor since, int limit);

    /** The topics that have retained history. */
    List<RetainedTopic> retained();

    /**
     * True while this node can publish through the broker and receive from it. Answers within
     * about a second; readiness asks it on every probe.
     */
    boolean reachable();

    /** Who is in each chat room on the other nodes; a single node has none ({@link Roster#LOCAL}). */
    default Roster roster() {
        return Roster.LOCAL;
    }
}
