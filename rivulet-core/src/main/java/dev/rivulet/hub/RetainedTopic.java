package dev.rivulet.hub;

/** A topic the broker holds history for: its newest id and how many events it retains. */
public record RetainedTopic(String topic, Cursor lastId, int events) {
}
