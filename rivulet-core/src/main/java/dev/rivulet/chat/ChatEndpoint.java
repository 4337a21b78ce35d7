package dev.rivulet.chat;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.EndpointConfig;
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
 * hands everything to its {@link ChatConnection}. The connection gate admitted it before the
 * handshake ({@link ChatAdmission}). A room, name or id the rules refuse is answered after the
 * upgrade, with an error frame and a close (1008), so a browser's WebSocket sees why.
 */
@ServerEndpoint(value = "/ws/chat/{room}", configurator = ChatAdmission.Handshake.class)
@Dependent // a bean, so the container creates each instance through CDI and injects it
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    @Inject
    ChatConnections connections;

    private ChatConnection connection;

    @OnOpen
    public void open(Session session, EndpointConfig config, @PathParam("room") String room) throws IOException {
        // The heartbeat decides when a connection is dead; the container's idle timer would close
        // a client that only listens.
        session.setMaxIdleTimeout(0);
        ChatAdmission.Admitted admitted = (ChatAdmission.Admitted) config.getUserProperties().get(ChatAdmission.ADMISSION);
        if (admitted == null) {
            LOG.severe("A chat connection opened without a permit from the connection gate; is ChatAdmission mapped to /ws/*?");
            session.close(new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "internal error"));
            return;
        }
        connection = connections.open(session, room, admitted.permit(), admitted.grant());
    }

    /**
     * Taken in parts: Liberty checks its size limit per frame, not per message, so the connection
     * counts the parts of each message against rivulet.chat.max-message-bytes itself.
     */
    @OnMessage
    public void text(String part, boolean last) {
        if (connection != null) {
            connection.onTextPart(part, last, System.nanoTime());
        }
    }

    /** Taken in parts, so a large binary frame is refused at its first part rather than buffered. */
    @OnMessage
    public void binary(ByteBuffer part, boolean last) {
        if (connection != null) {
            connection.onBinary(System.nanoTime());
        }
    }

    @OnMessage
    public void pong(PongMessage pong) {
        if (connection != null) {
            connection.onPong(System.nanoTime());
        }
    }

    /** The socket closed: the client left or the connection failed, unless the server closed it first and said why. */
    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed();
        }
    }

    @OnError
    public void error(Throwable error) {
        // A client that vanishes shows up here as an I/O error; the close that follows releases it.
        LOG.log(error instanceof IOException ? Level.FINE : Level.WARNING, "Chat connection error", error);
    }
}
