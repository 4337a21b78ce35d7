package dev.rivulet.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who is in one room on this node, in the order they joined, each under a name unique in the room,
 * and who the room last announced. Names are compared without case, so "Alice" cannot pass for
 * "alice". Changes are announced in batches: {@link #changes} is everything since the last
 * announcement, and {@link #announced} records the event that carried it. Not thread-safe:
 * {@link ChatRooms} holds the room's lock around every use.
 */
final class RoomPresence {

    /** Who joined and who left since the last announcement, each in the order it happened. */
    record Changes(List<String> joined, List<String> left) {
    }

    /** Folded name to name as shown. */
    private final Map<String, String> members = new LinkedHashMap<>();
    /** The members as the last announcement left them, names as shown. */
    private Set<String> announced = new LinkedHashSet<>();
    /** The position of the last announcement's event; no announcement yet: the lowest. */
    private long announcedAt = Long.MIN_VALUE;
    /** When the last announcement went out (System.nanoTime), or 0 before the first. */
    long lastAnnouncedNanos;
    /** An announcement is due and scheduled. */
    boolean announcementScheduled;
    /** Set once the room has emptied and left the registry; a joiner then takes a fresh one. */
    boolean retired;

    /**
     * Adds a member under {@code requested}, or, when that is taken, under the first free
     * {@code requested-2}, {@code requested-3}, … (shortened to keep within the name length), which
     * {@code claim} must also grant (another node of a cluster may hold it). Answers the name given.
     */
    String admit(String requested) {
        return admit(requested, name -> true);
    }

    /** The same where {@code claim} must grant the name too (no other node of a cluster holds it). */
    String admit(String requested, Predicate<String> claim) {
        String name = requested;
        for (int n = 2; members.containsKey(fold(name)) || !claim.test(name); n++) {
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

    /**
     * What a member that joins now is shown: the room as last announced, and itself. Announcements
     * after {@link #announcedAt} bring it every change since, itself included.
     */
    List<String> shownTo(String joiner) {
        List<String> shown = new ArrayList<>(announced);
        if (!announced.contains(joiner)) {
            shown.add(joiner);
        }
        return shown;
    }

    /** The position of the event that carried the last announcement. */
    long announcedAt() {
        return announcedAt;
    }

    /** Who joined and left since the last announcement; null when nothing changed. */
    Changes changes() {
        List<String> joined = new ArrayList<>();
        for (String name : members.values()) {
            if (!announced.contains(name)) {
                joined.add(name);
            }
        }
        List<String> left = new ArrayList<>();
        for (String name : announced) {
            if (!members.containsKey(fold(name)) || !members.get(fold(name)).equals(name)) {
                left.add(name);
            }
        }
        return joined.isEmpty() && left.isEmpty() ? null : new Changes(joined, left);
    }

    /** The changes went out in the event at {@code position}: the members are now the announced room. */
    void announced(long position, long nowNanos) {
        announced = new LinkedHashSet<>(members.values());
        announcedAt = position;
        lastAnnouncedNanos = nowNanos;
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
