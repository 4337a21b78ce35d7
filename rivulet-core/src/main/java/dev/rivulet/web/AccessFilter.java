package dev.rivulet.web;

import dev.rivulet.gate.AccessDenied;
import dev.rivulet.gate.Grant;
import dev.rivulet.hub.InvalidInputException;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The first step of every API and WebSocket request: answers CORS for listed origins, refuses a
 * query of more than {@link QueryString#MAX_PARAMETERS} parameters, then reads the request's token
 * into its {@link Grant} (see {@link Grant#of}), or refuses a token that does
 * not verify with 401. What a grant allows is decided where the request is served. It runs before
 * the stream and chat filters (web.xml orders them), so their refusals carry CORS headers too.
 */
public class AccessFilter extends HttpFilter {

    private static final String OPS = "/api/ops/";

    @Inject
    Credentials credentials;

    @Inject
    Cors cors;

    @Inject
    Refusals refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        boolean preflight = "OPTIONS".equals(request.getMethod()) && origin != null
                && request.getHeader("Access-Control-Request-Method") != null;
        if (origin != null && cors.allows(origin)) {
            allowOrigin(response, origin);
            if (preflight) {
                response.setHeader("Access-Control-Allow-Methods", Cors.ALLOWED_METHODS);
                response.setHeader("Access-Control-Allow-Headers", Cors.ALLOWED_HEADERS);
                response.setHeader("Access-Control-Max-Age", "600");
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
        } else if (preflight) {
            refusals.write(response, new Problem(403, "origin-not-allowed", "Forbidden",
                    "pages of this origin may not call the hub; rivulet.cors.origins lists the origins that may"));
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        try {
            QueryString.checkCount(request.getQueryString());
        } catch (InvalidInputException e) {
            refusals.write(response, e);
            return;
        }
        if (request.getRequestURI().startsWith(request.getContextPath() + OPS)) {
            // Operations endpoints take their own bearer secret (the drain token), not a JWT.
            chain.doFilter(request, response);
            return;
        }
        try {
            request.setAttribute(Credentials.GRANT, credentials.grant(request));
        } catch (AccessDenied | InvalidInputException e) {
            refusals.write(response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private void allowOrigin(HttpServletResponse response, String origin) {
        response.addHeader("Vary", "Origin");
        if (cors.listed(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
        } else {
            response.setHeader("Access-Control-Allow-Origin", "*");
        }
        response.setHeader("Access-Control-Expose-Headers", Cors.EXPOSED_HEADERS);
    }
}
