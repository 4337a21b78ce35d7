package dev.rivulet.mercure;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Mercure discovery on the hub's own topic resources ({@code /api/topics/...}): every answer
 * carries {@code Link: <hub>; rel="mercure"}, the hub's public URL from
 * {@code rivulet.mercure.public-url}, or this server's own {@code /.well-known/mercure} when unset.
 */
public class MercureDiscovery extends HttpFilter {

    @Inject
    MercureConfig config;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.addHeader("Link", "<" + config.hubUrl(request) + ">; rel=\"mercure\"");
        chain.doFilter(request, response);
    }
}
