package dev.rivulet.chat;

import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Outbound;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscription;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.hub.UnavailableException;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.Connections;
import dev.rivulet.stream.FrameCache;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's chat members: opens each connection into its room (admitted by the connection gate
 * before its handshake, see {@link ChatAdmission}) as a {@link Connection} of its own, sweeps the
 * members with pings and the idle check, and lets them go. Draining and ending them is the
 * connection registry's, as for every transport.
 */
@ApplicationScoped
public class ChatConnections {

    private static final Logger LOG = Logger.getLogger(ChatConnections.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Connections connections;

    @Inject
    Hub hub;

    @Inject
    ChatRooms rooms;

    @Inject
    ChatConfig config;

    @Inject
    Traffic traffic;

    private final Set<ChatConnection> members = ConcurrentHashMap.newKeySet();
    private final FrameCache<String> frames = new FrameCache<>();
    private ScheduledFuture<?> sweeper;

    /** Checks the configuration at startup (a bad value stops it) and starts the heartbeat sweep. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        // Four sweeps per interval: a ping leaves within a quarter interval of falling due, and a
        // silent connection is closed within a quarter interval of its idle timeout.
        long every = Math.max(50, Math.min(config.pingInterval().toMillis(), config.idleTimeout().toMillis()) / 4);
        sweeper = scheduler.scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeper != null) {
            sweeper.cancel(false);
        }
    }

    /**
     * Opens a connection into {@code room} under the gate's {@code permit}: subscribes to the
     * room's topic, joins the room, and queues the opening frames, presence and then either the
     * history block or, with {@code ?since=}, the events the client missed. A room, name or id the
     * rules refuse gets an error frame and a close with 1008; a node that has begun to drain, an
     * error frame and a close with 1001. Either way the permit is given back as never used.
     */
    ChatConnection open(Session session, String room, Permit permit, Grant grant) {
        Connection writer = connections.create(Transport.WEBSOCKET, permit, grant.expires(), false);
        ChatConnection connection = new ChatConnection(writer, session, hub, frames, config, traffic, permit,
                System.nanoTime(), this::released);
        members.add(connection);
        Subscriber subscriber = null;
        ChatRooms.Joined member = null;
        try {
            String topic = ChatRooms.topic(room);
            Map<String, List<String>> parameters = session.getRequestParameterMap();
            ChatIdentity identity = ChatIdentity.resolve(parameters, grant, config.anonymous());
            String since = first(parameters, "since");
            subscriber = hub.subscribe(Subscription.to(List.of(TopicSelector.parse(topic)), connection::subscriptionChanged)
                    .seeing(grant.subscribe()).after(since));
            member = rooms.join(room, identity.name());
            List<String> opening = new ArrayList<>(2);
            opening.add(ChatFrames.presence(room, member.name(), member.present()));
            long historyShownUpTo = Long.MIN_VALUE;
            if (since == null) {
                // Read after subscribing: anything newer than the block reaches the subscription.
                List<Outbound> retained = hub.history(topic, grant.subscribe(), null, Integer.MAX_VALUE);
                List<String> messages = lastMessages(retained, room, config.history());
                if (!retained.isEmpty()) {
                    historyShownUpTo = ((Event) retained.get(retained.size() - 1)).id().position();
                }
                Cursor resumeFrom = Cursor.of(Math.max(historyShownUpTo, subscriber.opening().position()));
                opening.add(ChatFrames.history(resumeFrom, messages));
            }
            connection.attach(member, topic, subscriber, opening, historyShownUpTo);
        } catch (RuntimeException e) {
            if (member != null) {
                rooms.leave(member);
            }
            if (subscriber != null) {
                subscriber.close(Subscriber.CloseReason.CLIENT_GONE);
            }
            if (e instanceof InvalidInputException refused) {
                traffic.rejected(refused.problem());
                connection.refuse(refused, CloseCodes.VIOLATED_POLICY);
            } else if (e instanceof UnavailableException unavailable) {
                // Admitted just before the gate closed, or the broker is out of reach: the room
                // could not be told of the join.
                traffic.rejected(unavailable.problem());
                connection.refuse(new InvalidInputException(unavailable.problem(), e.getMessage()), CloseCodes.GOING_AWAY);
            } else {
                LOG.log(Level.WARNING, "Could not open a chat connection", e);
                connection.refuse(new InvalidInputException("internal-error",
                        "the server could not open the chat; the failure has been logged"), CloseCodes.UNEXPECTED_CONDITION);
            }
        }
        // After the opening frames are queued: nothing can overtake them.
        connections.start(writer, connection);
        return connection;
    }

    /** The last {@code n} chat messages among a topic's retained events, as frames, oldest first. */
    private static List<String> lastMessages(List<Outbound> retained, String room, int n) {
        List<String> newestFirst = new ArrayList<>(Math.min(n, retained.size()));
        for (int i = retained.size() - 1; i >= 0 && newestFirst.size() < n; i--) {
            if (retained.get(i) instanceof Event e && e.type().equals(ClientFrame.MESSAGE)) {
                String frame = ChatFrames.message(e, room);
                if (frame != null) {
                    newestFirst.add(frame);
                }
            }
        }
        List<String> oldestFirst = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            oldestFirst.add(newestFirst.get(i));
        }
        return oldestFirst;
    }

    private void released(ChatConnection connection) {
        members.remove(connection);
        if (connection.member() != null) {
            rooms.leave(connection.member());
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (ChatConnection c : members) {
                c.heartbeat(now);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Chat heartbeat sweep failed", e);
        }
    }

    private static String first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
