package dev.rivulet.hub;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Who is in each chat room on the other nodes of a cluster. Each node holds its members' names
 * there for a lifetime it renews, so the members of a node that dies are let go within that
 * lifetime, and exactly one node learns of each of them to announce their leave. On a single node
 * there is no one else: {@link #LOCAL}.
 */
public interface Roster {

    /** A roster of one node: every name is free, no other node has members. */
    Roster LOCAL = new Roster() {
        @Override
        public boolean claim(String room, String name, Duration ttl) {
            return true;
        }

        @Override
        public void release(String room, String name) {
        }

        @Override
        public List<String> others(String room) {
            return List.of();
        }

        @Override
        public Map<String, List<String>> renew(Map<String, List<String>> mine, Duration ttl) {
            return Map.of();
        }

        @Override
        public boolean shared() {
            return false;
        }
    };

    /**
     * Holds {@code name} (compared without case) in {@code room} for this node for {@code ttl};
     * false when another node holds it.
     */
    boolean claim(String room, String name, Duration ttl);

    /** Lets go of this node's {@code name} in {@code room}. */
    void release(String room, String name);

    /** The names other nodes hold in {@code room}, as shown. */
    List<String> others(String room);

    /**
     * Holds this node's names ({@code mine}, by room) for another {@code ttl}, and lets go of the
     * names whose lifetime ran out (their node died): answers those, by room, each to one node only.
     */
    Map<String, List<String>> renew(Map<String, List<String>> mine, Duration ttl);

    /** Whether other nodes share it (and it must be renewed). */
    boolean shared();
}
