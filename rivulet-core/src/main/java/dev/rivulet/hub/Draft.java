package dev.rivulet.hub;

/** An event to publish, before the broker gives it its id. */
public record Draft(String topic, String type, String data, boolean privateEvent, EventMeta meta) {

    public Draft {
        if (meta == null) {
            meta = EventMeta.NONE;
        }
    }

    /** A native event to publish. */
    public Draft(String topic, String type, String data, boolean privateEvent) {
        this(topic, type, data, privateEvent, EventMeta.NONE);
    }
}
