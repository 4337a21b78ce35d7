package dev.rivulet.mercure;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.EventMeta;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import java.util.List;

/**
 * A Mercure publish, read from its form: {@code topic} (the first is the canonical topic, the
 * others alternate topics), {@code data} (text, any number of lines; none is empty), {@code private}
 * (set with any value: the spec recommends {@code on}), {@code id} (the publisher's; the hub names
 * the event otherwise), {@code type} (the SSE {@code event:}) and {@code retry} (the SSE
 * {@code retry:}, milliseconds).
 */
public record MercureUpdate(List<String> topics, String data, boolean privateEvent, String id, String type,
                            long retryMillis) {

    /** The longest reconnection time a publisher may set, in milliseconds (about 24 days). */
    public static final long MAX_RETRY = Integer.MAX_VALUE;

    public MercureUpdate {
        topics = List.copyOf(topics);
    }

    /** Reads and checks the fields of {@code form}; {@code invalid-...} problems say what was wrong. */
    public static MercureUpdate of(MercureForm form) {
        List<String> topics = form.all("topic");
        if (topics.isEmpty()) {
            throw new InvalidInputException("invalid-topic", "a publish needs at least one topic field");
        }
        String data = form.one("data");
        String id = form.one("id");
        if (id != null) {
            MercureId.checkChosen(id);
        }
        String type = form.one("type");
        if (type != null && type.isEmpty()) {
            type = null;
        }
        return new MercureUpdate(topics, data == null ? "" : data, form.has("private"), id, type,
                retry(form.one("retry")));
    }

    private static long retry(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            long ms = Long.parseLong(value);
            if (ms >= 0 && ms <= MAX_RETRY && value.chars().allMatch(Character::isDigit)) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException("invalid-retry", "retry must be a whole number of milliseconds from 0 to " + MAX_RETRY);
    }

    /** Refuses the publish unless the grant's publish claim covers every one of its topics, as the spec says. */
    public void checkPublish(Grant grant) {
        for (String t : topics) {
            grant.checkPublish(t);
        }
    }

    /** The draft the hub publishes: the data kept as text, in one JSON string, so native clients get JSON. */
    public Draft draft() {
        EventMeta meta = new EventMeta(id, topics.subList(1, topics.size()), retryMillis, true);
        return new Draft(topics.get(0), type == null ? Event.DEFAULT_TYPE : type, JsonText.quote(data), privateEvent, meta);
    }
}
