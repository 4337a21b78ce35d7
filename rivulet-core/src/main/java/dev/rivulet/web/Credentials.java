package dev.rivulet.web;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.TokenKeys;
import dev.rivulet.gate.TokenVerifier;
import dev.rivulet.hub.TopicSelector;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;

/**
 * Finds and verifies a request's token, and applies the subscribe policy. The token comes as
 * {@code Authorization: Bearer}, else as the {@code access_token} query parameter (browsers'
 * {@code EventSource} and {@code WebSocket} cannot set headers), else in the cookie
 * {@code rivulet.jwt.cookie}; at {@code /.well-known/mercure}, where Mercure clients put it (the
 * {@code authorization} query parameter, the {@code mercureAuthorization} cookie). A token that is present but invalid is refused, never taken as
 * anonymous: a client should learn that its token is wrong.
 */
@ApplicationScoped
public class Credentials {

    /** The request attribute the access filter leaves a request's grant in. */
    static final String GRANT = Grant.class.getName();
    public static final String QUERY_PARAMETER = "access_token";
    /** Where the Mercure protocol is served; its requests bring their tokens where Mercure clients put them. */
    public static final String MERCURE_PATH = "/.well-known/mercure";
    /** The query parameter and cookie the Mercure protocol names for a token. */
    public static final String MERCURE_QUERY_PARAMETER = "authorization";
    public static final String MERCURE_COOKIE = "mercureAuthorization";

    @Inject
    AccessConfig config;

    @Inject
    TokenKeys keys;

    @Inject
    Cors cors;

    private TokenVerifier verifier;

    protected Credentials() {
    }

    @PostConstruct
    void read() {
        verifier = keys.verifier();
    }

    /** The grant of the request's token, {@link Grant#ANONYMOUS} without one. */
    public Grant grant(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals(MERCURE_PATH) || path.startsWith(MERCURE_PATH + "/")) {
            return grant(request, MERCURE_QUERY_PARAMETER, MERCURE_COOKIE);
        }
        return grant(request, QUERY_PARAMETER, config.cookie());
    }

    /**
     * The grant of the token in the {@code Authorization} header, else in the query parameter
     * {@code queryParameter}, else in the cookie {@code cookieName}; {@link Grant#ANONYMOUS} without one.
     */
    public Grant grant(HttpServletRequest request, String queryParameter, String cookieName) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            if (authorization.length() < 7 || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                throw AccessDenied.invalidToken("the Authorization header must be 'Bearer <token>'");
            }
            return verifier.verify(authorization.substring(7).trim());
        }
        String query = QueryString.first(request, queryParameter);
        if (query != null) {
            return verifier.verify(query);
        }
        String cookie = cookie(request, cookieName);
        if (cookie != null) {
            // A browser sends cookies whichever page asks: only pages of this hub's own or listed
            // origins may use them, or any site could act with its visitors' tokens.
            String origin = request.getHeader("Origin");
            if (origin != null && !origin.equalsIgnoreCase(ownOrigin(request)) && !cors.listed(origin)) {
                throw AccessDenied.originNotAllowed();
            }
            return verifier.verify(cookie);
        }
        return Grant.ANONYMOUS;
    }

    /** The grant the access filter found for {@code request}; anonymous when it found none. */
    public static Grant grantOf(ServletRequest request) {
        return request.getAttribute(GRANT) instanceof Grant g ? g : Grant.ANONYMOUS;
    }

    /** Refuses a subscription a grant may not open: none without a token unless anonymous subscribers are allowed. */
    public void checkSubscribe(Grant grant, List<TopicSelector> selectors) {
        if (!config.anonymousSubscribe()) {
            grant.checkRead(selectors, "subscribing on this hub");
        }
    }

    private static String cookie(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    private static String ownOrigin(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getHeader("Host");
    }
}
