package dev.rivulet.hub;

/** What a subscriber's stream carries: published events and the hub's control events. */
public sealed interface Outbound permits Event, ControlEvent {
}
