package dev.rivulet.hub;

import java.util.List;
import java.util.Optional;

/**
 * Where a client's id puts it in history: the cursor it resumes after (null when the id is not
 * one of ours, or is ahead of the hub), the retained events after it, and the gap notice a client
 * gets first when history no longer reaches back to it.
 */
record Resume(Cursor since, Replay replay, ControlEvent gap) {

    /** Reads the resume of {@code lastEventId} on {@code selectors}, with {@code latest} the newest id now. */
    static Resume of(Broker broker, List<TopicSelector> selectors, String lastEventId, Cursor latest, int limit) {
        if (lastEventId.length() > Cursor.MAX_LENGTH) {
            throw new InvalidInputException("invalid-id", "an event id is at most " + Cursor.MAX_LENGTH + " characters");
        }
        Optional<Cursor> parsed = Cursor.parse(lastEventId);
        if (parsed.isEmpty() || parsed.get().isAfter(latest)) {
            Replay all = broker.replay(selectors, null, limit);
            return new Resume(null, all, ControlEvent.gap(parsed.orElse(null), "unknown"));
        }
        // Where history no longer reaches back to the cursor, every retained event is after it:
        // the replay then starts at the oldest retained event of that topic.
        Replay replay = broker.replay(selectors, parsed.get(), limit);
        return new Resume(parsed.get(), replay, replay.expired() ? ControlEvent.gap(parsed.get(), "expired") : null);
    }

    /**
     * The cursor the stream opens after: the client's own, or for an id that was not ours, one
     * from which a resume replays the same events.
     */
    Cursor opening(Cursor latest) {
        if (since != null) {
            return since;
        }
        List<Event> events = replay.events();
        return events.isEmpty() ? latest : Cursor.of(events.get(0).id().position() - 1);
    }
}
