package dev.rivulet.chat;

import dev.rivulet.hub.BrokerUnavailableException;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Names;
import dev.rivulet.hub.Roster;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms of this node and who is in them. A room is the hub topic {@code chat/{room}}.
 *
 * <p>Joins and leaves are announced in batches: one {@code presence_diff} event on the topic,
 * {@code {"joined":[…],"left":[…]}}, at most once per {@code rivulet.chat.presence-interval}. A
 * change in a quiet room goes out at once; changes that follow within the interval wait for its
 * end and go out together. So 1,000 members joining within a second cost each member a handful of
 * frames, not 1,000 events in its queue (which overflowed every member's queue and closed them all
 * as too slow). SSE watchers (and, with a cluster broker, other nodes) see the same events.
 *
 * <p>In a cluster, each node holds its members' names in the broker's {@link Roster} for
 * {@code rivulet.chat.presence-ttl}, renewed every third of it: names are unique in the room across
 * nodes, a joiner is also shown the members of the other nodes, and the members of a node that dies
 * are announced as left by one of the others once their lifetime runs out.
 *
 * <p>Presence stays exact: a member that joins is shown the room as last announced (and itself),
 * under the room's lock, and every later announcement reaches it as an event, since it subscribed
 * before it joined. Applied in order, as sets, they give the room as it is.
 */
@ApplicationScoped
public class ChatRooms {

    static final String TOPIC_PREFIX = "chat/";
    static final String PRESENCE_DIFF = "presence_diff";
    /** Most names one announcement carries (about 40 KB of names at most). */
    static final int NAMES_PER_EVENT = 1000;

    private static final Logger LOG = Logger.getLogger(ChatRooms.class.getName());

    private final ConcurrentMap<String, RoomPresence> rooms = new ConcurrentHashMap<>();
    private Hub hub;
    private long intervalNanos;
    private Duration ttl;
    private volatile Thread renewer;

    protected ChatRooms() {
    }

    @Inject
    public ChatRooms(Hub hub, ChatConfig config) {
        this(hub, config.presenceInterval(), config.presenceTtl());
    }

    ChatRooms(Hub hub, Duration presenceInterval) {
        this(hub, presenceInterval, Duration.ofSeconds(30));
    }

    ChatRooms(Hub hub, Duration presenceInterval, Duration ttl) {
        this.hub = hub;
        this.intervalNanos = presenceInterval.toNanos();
        this.ttl = ttl;
    }

    /**
     * In a cluster, renews this node's members in the shared roster every third of their lifetime,
     * and announces the leave of those another node held until it died.
     */
    @PostConstruct
    void startRenewing() {
        if (!hub.roster().shared()) {
            return;
        }
        // Assigned before it starts: the loop runs while the field holds it.
        Thread t = Thread.ofVirtual().name("rivulet-chat-roster").unstarted(() -> {
            while (renewer != null) {
                try {
                    Thread.sleep(ttl.dividedBy(3));
                    renew();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not renew this node's chat members: " + e.getMessage());
                }
            }
        });
        renewer = t;
        t.start();
    }

    @PreDestroy
    void stopRenewing() {
        Thread t = renewer;
        renewer = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private void renew() {
        Map<String, List<String>> mine = new HashMap<>();
        for (Map.Entry<String, RoomPresence> room : rooms.entrySet()) {
            synchronized (room.getValue()) {
                if (!room.getValue().retired) {
                    mine.put(room.getKey(), room.getValue().names());
                }
            }
        }
        for (Map.Entry<String, List<String>> gone : hub.roster().renew(mine, ttl).entrySet()) {
            // Members of a node that died: no one else will say they left.
            hub.publish(topic(gone.getKey()), PRESENCE_DIFF, data(new RoomPresence.Changes(List.of(), gone.getValue())), false);
        }
    }

    /**
     * A member's place in a room: its unique name, who it is shown to be there, and the position
     * of the announcement that list reflects (later announcements reach it as events).
     */
    record Joined(String room, String name, List<String> present, long announcedAt) {
    }

    /** The topic of a room, refusing a room name the topic rules do not allow. */
    static String topic(String room) {
        try {
            return Names.checkTopic(TOPIC_PREFIX + room);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("invalid-room", "the room name breaks the topic rules: " + e.getMessage());
        }
    }

    /**
     * Adds a member to the room under a name unique there; the room hears of it with the next
     * announcement. Refused with {@link DrainingException} while the node drains.
     */
    Joined join(String room, String requestedName) {
        String topic = topic(room);
        hub.checkAccepting();
        while (true) {
            RoomPresence presence = rooms.computeIfAbsent(room, r -> new RoomPresence());
            synchronized (presence) {
                if (presence.retired) {
                    continue;
                }
                Roster roster = hub.roster();
                String name = presence.admit(requestedName, n -> roster.claim(room, n, ttl));
                // Announced now when the room is quiet: the joiner's own list then has it already.
                announceSoon(room, topic, presence);
                return new Joined(room, name, shown(presence.shownTo(name), roster.others(room)), presence.announcedAt());
            }
        }
    }

    /** Removes a member; the room hears of it with the next announcement. A room left empty is forgotten. */
    void leave(Joined member) {
        RoomPresence presence = rooms.get(member.room());
        if (presence == null) {
            return;
        }
        synchronized (presence) {
            if (!presence.remove(member.name())) {
                return;
            }
            try {
                hub.roster().release(member.room(), member.name());
            } catch (BrokerUnavailableException e) {
                // Its lifetime runs out instead.
                LOG.warning(() -> "Could not let go of " + member.name() + " in " + member.room() + ": " + e.getMessage());
            }
            String topic = topic(member.room());
            if (presence.isEmpty()) {
                // The last one out: its leave goes now, and the room is forgotten.
                announce(topic, presence);
                presence.retired = true;
                rooms.remove(member.room(), presence);
            } else {
                announceSoon(member.room(), topic, presence);
            }
        }
    }

    /** Rooms with at least one member on this node. */
    public int count() {
        return rooms.size();
    }

    /**
     * Announces the room's changes now when the last announcement is an interval old or more;
     * otherwise once the interval has passed, with whatever changed by then. Holds the room's lock.
     */
    private void announceSoon(String room, String topic, RoomPresence presence) {
        if (presence.announcementScheduled) {
            return;
        }
        long wait = presence.announcedAt() == Long.MIN_VALUE ? 0
                : presence.lastAnnouncedNanos + intervalNanos - System.nanoTime();
        if (wait <= 0) {
            announce(topic, presence);
            return;
        }
        presence.announcementScheduled = true;
        Thread.ofVirtual().name("rivulet-chat-presence").start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (presence) {
                presence.announcementScheduled = false;
                if (!presence.retired) {
                    announce(topic, presence);
                }
            }
        });
    }

    /**
     * Publishes what changed since the last announcement, if anything did: one event, or several
     * of at most {@link #NAMES_PER_EVENT} names each in a crowd. Holds the room's lock.
     */
    private void announce(String topic, RoomPresence presence) {
        RoomPresence.Changes changes = presence.changes();
        if (changes == null) {
            return;
        }
        try {
            List<String> left = changes.left();
            List<String> joined = changes.joined();
            long position = 0;
            int l = 0;
            int j = 0;
            while (l < left.size() || j < joined.size()) {
                int leftHere = Math.min(left.size() - l, NAMES_PER_EVENT);
                int joinedHere = Math.min(joined.size() - j, NAMES_PER_EVENT - leftHere);
                RoomPresence.Changes part = new RoomPresence.Changes(joined.subList(j, j + joinedHere),
                        left.subList(l, l + leftHere));
                position = hub.publish(topic, PRESENCE_DIFF, data(part), false).event().id().position();
                l += leftHere;
                j += joinedHere;
            }
            presence.announced(position, System.nanoTime());
        } catch (DrainingException stopping) {
            // The node drains and takes no more events; the room's members are leaving too.
        } catch (BrokerUnavailableException unreachable) {
            LOG.log(Level.WARNING, "Could not announce presence in " + topic + ": " + unreachable.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not announce presence in " + topic, e);
        }
    }

    /** This node's room as shown to a joiner, and the members of the other nodes (a name once). */
    private static List<String> shown(List<String> here, List<String> elsewhere) {
        if (elsewhere.isEmpty()) {
            return here;
        }
        List<String> all = new ArrayList<>(here);
        Set<String> seen = new HashSet<>();
        here.forEach(n -> seen.add(n.toLowerCase(Locale.ROOT)));
        for (String n : elsewhere) {
            if (seen.add(n.toLowerCase(Locale.ROOT))) {
                all.add(n);
            }
        }
        return all;
    }

    private static String data(RoomPresence.Changes changes) {
        StringBuilder d = new StringBuilder(32 + 24 * (changes.joined().size() + changes.left().size()));
        d.append("{\"joined\":");
        names(d, changes.joined());
        d.append(",\"left\":");
        names(d, changes.left());
        return d.append('}').toString();
    }

    static void names(StringBuilder out, List<String> names) {
        out.append('[');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(JsonText.quote(names.get(i)));
        }
        out.append(']');
    }
}
