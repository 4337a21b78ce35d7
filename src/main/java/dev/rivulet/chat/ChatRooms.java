package dev.rivulet.chat;

import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rooms of this node and who is in them. A room is the hub topic {@code chat/{room}}; joining
 * and leaving are published to it as {@code join} and {@code leave} events, so SSE watchers (and,
 * with a cluster broker, other nodes) see them. The presence change and its event happen under the
 * room's lock: every join or leave with an id up to a member's own join is in the presence list
 * that member was shown, and every later one reaches it as an event, so presence is exact.
 */
@ApplicationScoped
public class ChatRooms {

    static final String TOPIC_PREFIX = "chat/";
    static final String JOIN = "join";
    static final String LEAVE = "leave";

    private static final Logger LOG = Logger.getLogger(ChatRooms.class.getName());

    private final ConcurrentMap<String, RoomPresence> rooms = new ConcurrentHashMap<>();
    private Hub hub;

    protected ChatRooms() {
    }

    @Inject
    public ChatRooms(Hub hub) {
        this.hub = hub;
    }

    /** A member's place in a room: its unique name, who was there, and the id of its join event. */
    record Joined(String room, String name, List<String> present, Cursor joinId) {
    }

    /** The topic of a room, refusing a room name the topic rules do not allow. */
    static String topic(String room) {
        try {
            return Names.checkTopic(TOPIC_PREFIX + room);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("invalid-room", "the room name breaks the topic rules: " + e.getMessage());
        }
    }

    /** Adds a member to the room under a name unique there and tells the room. */
    Joined join(String room, String requestedName) {
        String topic = topic(room);
        while (true) {
            RoomPresence presence = rooms.computeIfAbsent(room, r -> new RoomPresence());
            synchronized (presence) {
                if (presence.retired) {
                    continue;
                }
                String name = presence.admit(requestedName);
                List<String> present = presence.names();
                try {
                    Cursor id = hub.publish(topic, JOIN, userData(name), false).event().id();
                    return new Joined(room, name, present, id);
                } catch (RuntimeException e) {
                    presence.remove(name);
                    retireIfEmpty(room, presence);
                    throw e;
                }
            }
        }
    }

    /** Removes a member and tells the room; a room left empty is forgotten. */
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
                hub.publish(topic(member.room()), LEAVE, userData(member.name()), false);
            } catch (DrainingException stopping) {
                // The node drains and takes no more events; the room's watchers are leaving too.
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not publish a leave event", e);
            }
            retireIfEmpty(member.room(), presence);
        }
    }

    /** Rooms with at least one member on this node. */
    public int count() {
        return rooms.size();
    }

    private void retireIfEmpty(String room, RoomPresence presence) {
        if (presence.isEmpty()) {
            presence.retired = true;
            rooms.remove(room, presence);
        }
    }

    private static String userData(String name) {
        return "{\"user\":" + JsonText.quote(name) + "}";
    }
}
