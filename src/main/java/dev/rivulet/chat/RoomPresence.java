package dev.rivulet.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Who is in one room on this node, in the order they joined, each under a name unique in the room.
 * Names are compared without case, so "Alice" cannot pass for "alice". Not thread-safe: {@link ChatRooms}
 * holds the room's lock around every use, so a change and its join or leave event happen together.
 */
final class RoomPresence {

    /** Folded name to name as shown. */
    private final Map<String, String> members = new LinkedHashMap<>();
    /** Set once the room has emptied and left the registry; a joiner then takes a fresh one. */
    boolean retired;

    /**
     * Adds a member under {@code requested}, or, when that is taken, under the first free
     * {@code requested-2}, {@code requested-3}, … (shortened to keep within the name length).
     * Answers the name given.
     */
    String admit(String requested) {
        String name = requested;
        for (int n = 2; members.containsKey(fold(name)); n++) {
            name = suffixed(requested, n);
        }
        members.put(fold(name), name);
        return name;
    }

    boolean remove(String name) {
        return members.remove(fold(name)) != null;
    }

    List<String> names() {
        return new ArrayList<>(members.values());
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    private static String suffixed(String base, int n) {
        String suffix = "-" + n;
        int room = ChatIdentity.NAME_MAX_LENGTH - suffix.length();
        if (base.codePointCount(0, base.length()) > room) {
            base = base.substring(0, base.offsetByCodePoints(0, room)).stripTrailing();
        }
        return base + suffix;
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
