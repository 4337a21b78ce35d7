package dev.rivulet.hub;

/** The answer to a publish: the event as stored, and how many subscribers it was handed to. */
public record Published(Event event, int deliveredTo) {
}
