package dev.rivulet.mercure;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.TopicSelector;
import java.util.List;
import java.util.Optional;

/**
 * Where a Mercure subscriber's {@code Last-Event-ID} (or {@code lastEventID}) puts it in the hub's
 * history, and what the response's {@code Last-Event-ID} header then says.
 *
 * <p>An id of the hub's own form carries its cursor; a publisher's id is looked up in retained
 * history; {@code earliest}, an id history no longer holds and an id that was never the hub's all
 * replay every retained event. The header is the id the client sent when the events after it
 * follow with nothing missing, and {@code earliest} otherwise (as the spec has it: there is no
 * preceding event the hub can name), so a client that compares the two learns of a loss.
 *
 * @param requested the id the client sent; null when it sent none (the stream starts now)
 * @param cursor    the native cursor the hub resumes after; null to start now
 * @param found     whether the id named an event this hub can resume after
 */
public record MercureResume(String requested, String cursor, boolean found) {

    /** The cursor before every event: a resume after it replays all that is retained. */
    private static final String BEFORE_ALL = "0";

    public static MercureResume of(Hub hub, List<TopicSelector> selectors, String lastEventId) {
        if (lastEventId == null) {
            return new MercureResume(null, null, false);
        }
        MercureId.checkResume(lastEventId);
        if (lastEventId.equals(MercureId.EARLIEST)) {
            return new MercureResume(lastEventId, BEFORE_ALL, false);
        }
        Optional<Cursor> cursor = MercureId.cursorOf(lastEventId);
        if (cursor.isEmpty()) {
            cursor = hub.cursorOf(selectors, lastEventId);
        }
        return cursor.map(c -> new MercureResume(lastEventId, c.toString(), true))
                .orElseGet(() -> new MercureResume(lastEventId, BEFORE_ALL, false));
    }

    /**
     * The response's {@code Last-Event-ID}: null when the client sent none, its own id when the
     * stream resumes right after it, {@code earliest} when the replay starts at the oldest retained event.
     */
    public String header(Subscriber subscriber) {
        if (requested == null) {
            return null;
        }
        return found && !subscriber.resumedAfterGap() ? requested : MercureId.EARLIEST;
    }
}
