package dev.rivulet.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The web console's security headers, on every page and file of it: a Content-Security-Policy
 * that allows scripts, styles and connections only from the hub itself (no inline script or
 * style, no framing), {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy:
 * no-referrer}, so a token typed into the console never leaves in a Referer.
 */
public class ConsoleHeaders extends HttpFilter {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!isConsole(request.getRequestURI().substring(request.getContextPath().length()))) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        chain.doFilter(request, response);
    }

    /** The console's own paths: the page itself, its modules and styles, the WebJars it loads. */
    static boolean isConsole(String path) {
        return path.isEmpty() || path.equals("/") || path.equals("/index.html")
                || path.startsWith("/console/") || path.startsWith("/webjars/");
    }
}
