package dev.rivulet.chat;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat room endpoint, {@code /ws/chat/{room}?name=…&since=…}. One instance per connection; it
 * hands everything to its {@link ChatConnection}. A room, name or id the rules refuse is answered
 * after the upgrade, with an error frame and a close (1008), so a browser's WebSocket sees why.
 */
@ServerEndpoint("/ws/chat/{room}")
@Dependent // a bean, so the container creates each instance through CDI and injects it
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    @Inject
    ChatSessions sessions;

    private ChatConnection connection;

    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        // The heartbeat decides when a connection is dead; the container's idle timer would close
        // a client that only listens.
        session.setMaxIdleTimeout(0);
        connection = sessions.open(session, room);
    }

    /**
     * Taken in parts: Liberty checks its size limit per frame, not per message, so the connection
     * counts the parts of each message against rivulet.chat.max-message-bytes itself.
     */
    @OnMessage
    public void text(String part, boolean last) {
        connection.onTextPart(part, last, System.nanoTime());
    }

    /** Taken in parts, so a large binary frame is refused at its first part rather than buffered. */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        connection.onBinary(System.nanoTime());
    }

    @OnMessage
    public void pong(PongMessage pong) {
        connection.onPong(System.nanoTime());
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.release();
        }
    }

    @OnError
    public void error(Throwable error) {
        // A client that vanishes shows up here as an I/O error; the close that follows releases it.
        LOG.log(error instanceof IOException ? Level.FINE : Level.WARNING, "Chat connection error", error);
    }
}
