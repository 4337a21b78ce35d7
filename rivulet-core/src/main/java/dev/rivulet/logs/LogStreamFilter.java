package dev.rivulet.logs;

import dev.rivulet.gate.Grant;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.QueryString;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Serves {@code GET /api/logs}, export and tail, as an asynchronous stream: NDJSON by default, SSE
 * for {@code Accept: text/event-stream}, gzip for {@code Accept-Encoding: gzip}. A tail the
 * connection gate refuses is a 503 problem with {@code Retry-After}. Ingest
 * ({@code POST}) goes on to {@link LogsResource}.
 */
public class LogStreamFilter extends HttpFilter {

    @Inject
    LogStreams streams;

    @Inject
    Refusals refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        try {
            LogQuery query = LogQuery.parse(QueryString.parameters(request), request.getHeader("Last-Event-ID"));
            Grant grant = Credentials.grantOf(request);
            grant.checkRead(query.selectors(), "reading logs of these services (topics logs/{service})");
            streams.open(request, response, query, grant, LogFormat.forAccept(request.getHeader("Accept")),
                    LogFormat.acceptsGzip(request.getHeader("Accept-Encoding")));
        } catch (RuntimeException e) {
            refusals.write(response, e);
        }
    }
}
