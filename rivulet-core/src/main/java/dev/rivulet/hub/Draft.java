package dev.rivulet.hub;

/** An event to publish, before the broker gives it its id. */
public record Draft(String topic, String type, String data, boolean privateEvent) {
}
