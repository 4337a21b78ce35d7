package dev.rivulet.hub;

import java.util.List;

/**
 * Retained events after a cursor, oldest first. {@code expired} is true when history no longer
 * reaches back to the cursor for at least one of the topics: events may have been lost between
 * the cursor and the oldest event here.
 */
public record Replay(List<Event> events, boolean expired) {

    public static final Replay EMPTY = new Replay(List.of(), false);
}
