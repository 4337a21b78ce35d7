package dev.rivulet.chat;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Permit;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.Transport;
import dev.rivulet.web.Problem;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;

/**
 * Admits chat connections through the {@link ConnectionGate} before the WebSocket handshake, so a
 * client past a connection limit, or one that arrives while the node drains, gets what a refused
 * stream gets: 503 with {@code Retry-After} and a problem body, and no upgrade.
 *
 * <p>The permit reaches the connection through the handshake. Liberty runs the application's
 * filters first and then, on the same thread and before it answers 101, upgrades the request and
 * calls the endpoint's configurator; {@link Handshake} takes the permit from this thread and puts
 * it in the connection's user properties (a copy per connection since WebSocket 2.1), where the
 * endpoint's {@code @OnOpen} finds it. A permit no handshake took (the request was not an upgrade
 * to a chat room, or the container refused it) is given back when the filter returns.
 */
@WebFilter(filterName = "chat-admission", urlPatterns = "/ws/*", asyncSupported = true)
public class ChatAdmission implements Filter {

    /** The user property that carries a connection's permit from the handshake to the endpoint. */
    static final String PERMIT = Permit.class.getName();

    private static final ThreadLocal<Permit> ADMITTED = new ThreadLocal<>();

    @Inject
    ConnectionGate gate;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!isWebSocketUpgrade(request)) {
            chain.doFilter(req, res);
            return;
        }
        Permit permit;
        try {
            permit = gate.admit(Transport.WEBSOCKET, Caller.key(request.getUserPrincipal(), request.getRemoteAddr()));
        } catch (Refusal e) {
            // The gate counted it when it refused.
            Problem.of(e).write((HttpServletResponse) res);
            return;
        }
        ADMITTED.set(permit);
        try {
            chain.doFilter(req, res);
        } finally {
            Permit unclaimed = ADMITTED.get();
            ADMITTED.remove();
            if (unclaimed != null) {
                unclaimed.withdraw();
            }
        }
    }

    private static boolean isWebSocketUpgrade(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** The chat endpoint's configurator: hands the permit admitted for this handshake to its connection. */
    public static class Handshake extends ServerEndpointConfig.Configurator {

        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            Permit permit = ADMITTED.get();
            ADMITTED.remove();
            if (permit != null) {
                config.getUserProperties().put(PERMIT, permit);
            }
        }
    }
}
