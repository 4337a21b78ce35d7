package dev.rivulet.chat;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Transport;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.PathSegment;
import dev.rivulet.web.Problem;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;

/**
 * Admits chat connections before the WebSocket handshake. First who: a member with a token needs
 * its subscribe and publish claims to cover the room's topic, {@code chat/{room}}, and a subject
 * ({@code sub}), which is its name in the room (403 otherwise); one without a token needs
 * {@code rivulet.chat.anonymous} (401 otherwise). Then the {@link ConnectionGate}, so a client past
 * a connection limit, or one that arrives while the node drains, gets what a refused stream gets:
 * 503 with {@code Retry-After} and a problem body. A refused client gets no upgrade.
 *
 * <p>The permit reaches the connection through the handshake. Liberty runs the application's
 * filters first and then, on the same thread and before it answers 101, upgrades the request and
 * calls the endpoint's configurator; {@link Handshake} takes the permit from this thread and puts
 * it in the connection's user properties (a copy per connection since WebSocket 2.1), where the
 * endpoint's {@code @OnOpen} finds it. A permit no handshake took (the request was not an upgrade
 * to a chat room, or the container refused it) is given back when the filter returns.
 */
public class ChatAdmission extends HttpFilter {

    /** The user property that carries a connection's admission from the handshake to the endpoint. */
    static final String ADMISSION = Admitted.class.getName();
    private static final String ROOMS = "/ws/chat/";

    private static final ThreadLocal<Admitted> ADMITTED = new ThreadLocal<>();

    /** What the handshake hands the connection: its place under the gate and what its token allows. */
    record Admitted(Permit permit, Grant grant) {
    }

    @Inject
    ConnectionGate gate;

    @Inject
    ChatConfig config;

    @Inject
    Refusals refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!isWebSocketUpgrade(request)) {
            chain.doFilter(request, response);
            return;
        }
        Grant grant = Credentials.grantOf(request);
        Permit permit;
        try {
            checkAccess(grant, request);
            permit = gate.admit(Transport.WEBSOCKET, Caller.key(grant, request.getRemoteAddr()));
        } catch (AccessDenied | Refusal e) {
            refusals.write(response, e);
            return;
        }
        ADMITTED.set(new Admitted(permit, grant));
        try {
            chain.doFilter(request, response);
        } finally {
            Admitted unclaimed = ADMITTED.get();
            ADMITTED.remove();
            if (unclaimed != null) {
                unclaimed.permit().withdraw();
            }
        }
    }

    private void checkAccess(Grant grant, HttpServletRequest request) {
        if (!grant.authenticated()) {
            if (!config.anonymous()) {
                throw AccessDenied.tokenRequired("this hub does not allow anonymous chat (rivulet.chat.anonymous=false); "
                        + "join with a token whose subscribe and publish claims cover chat/{room}");
            }
            return;
        }
        String topic = roomTopic(request);
        if (topic != null && (!grant.mayRead(topic) || !grant.mayPublish(topic))) {
            throw AccessDenied.forbidden("the token's subscribe and publish claims must both cover this room's topic, chat/{room}");
        }
        if (grant.subject() == null) {
            throw AccessDenied.forbidden("the token names no subject (sub), which is a member's name in the room");
        }
        try {
            ChatIdentity.checkName(grant.subject());
        } catch (InvalidInputException e) {
            throw AccessDenied.forbidden("the token's subject (sub) is not a valid chat name: " + e.getMessage());
        }
    }

    /**
     * The topic of the room a handshake asks for; null when the name is malformed, which is
     * answered after the upgrade, where a browser can read why.
     */
    private static String roomTopic(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(ROOMS)) {
            return null;
        }
        try {
            return ChatRooms.topic(PathSegment.decode(path.substring(ROOMS.length())));
        } catch (InvalidInputException malformed) {
            return null;
        }
    }

    private static boolean isWebSocketUpgrade(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** The chat endpoint's configurator: hands what was admitted for this handshake to its connection. */
    public static class Handshake extends ServerEndpointConfig.Configurator {

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            Admitted admitted = ADMITTED.get();
            ADMITTED.remove();
            if (admitted != null) {
                config.getUserProperties().put(ADMISSION, admitted);
            }
        }
    }
}
