package dev.rivulet.hub;

/** A topic as {@code GET /api/topics} lists it. {@code lastId} is null when nothing is retained. */
public record TopicInfo(String topic, int subscribers, Cursor lastId, int retained) {
}
