package dev.rivulet.topics;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.Pace;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.stream.EventStreams;
import dev.rivulet.stream.NdjsonEncoder;
import dev.rivulet.stream.SseEncoder;
import dev.rivulet.stream.StreamEncoder;
import dev.rivulet.web.AcceptHeader;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.PathSegment;
import dev.rivulet.web.QueryString;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the subscribe endpoints, {@code GET /api/topics/{topic}}, {@code GET /api/subscribe} and
 * {@code GET /api/prices}, as asynchronous streams: SSE by default and for browsers, NDJSON for
 * {@code Accept: application/x-ndjson}. {@code ?max_rate=N} (events a second) and {@code &burst=B}
 * pace a stream. Every other request under /api goes on to the REST endpoints.
 */
public class SubscribeFilter extends HttpFilter {

    private static final String TOPICS = "/api/topics/";
    private static final StreamEncoder SSE = new SseEncoder();
    private static final StreamEncoder NDJSON = new NdjsonEncoder();

    @Inject
    EventStreams streams;

    @Inject
    Refusals refusals;

    @Inject
    Credentials credentials;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"GET".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        try {
            QueryString.parameters(request);
            List<String> topics = topicsOf(path, request);
            if (topics == null) {
                chain.doFilter(request, response);
                return;
            }
            List<TopicSelector> selectors = new ArrayList<>(topics.size());
            for (String t : topics) {
                selectors.add(TopicSelector.parse(t));
            }
            String lastEventId = request.getHeader("Last-Event-ID");
            if (lastEventId == null) {
                lastEventId = request.getParameter("since");
            }
            Pace pace = Pace.parse(request.getParameter("max_rate"), request.getParameter("burst"));
            Grant grant = Credentials.grantOf(request);
            credentials.checkSubscribe(grant, selectors);
            streams.open(request, response, selectors, grant, lastEventId, pace, encoderFor(request.getHeader("Accept")));
        } catch (RuntimeException e) {
            refusals.write(response, e);
        }
    }

    /** The topics or selectors a stream path asks for, or null when the path is not a stream. */
    private static List<String> topicsOf(String path, HttpServletRequest request) {
        if (path.equals("/api/subscribe")) {
            String[] topics = request.getParameterValues("topic");
            if (topics == null || topics.length == 0) {
                throw new InvalidInputException("invalid-selector", "name at least one topic: /api/subscribe?topic=...");
            }
            return List.of(topics);
        }
        if (path.equals("/api/prices")) {
            return List.of("prices");
        }
        if (path.startsWith(TOPICS) && path.length() > TOPICS.length() && !path.endsWith("/history")) {
            return List.of(PathSegment.decode(path.substring(TOPICS.length())));
        }
        return null;
    }

    /**
     * NDJSON when the client prefers {@code application/x-ndjson} to {@code text/event-stream};
     * SSE otherwise, which is what browsers and {@code EventSource} get.
     */
    static StreamEncoder encoderFor(String accept) {
        double sse = AcceptHeader.quality(accept, SseEncoder.MEDIA_TYPE);
        double ndjson = AcceptHeader.quality(accept, NdjsonEncoder.MEDIA_TYPE);
        return ndjson > 0 && ndjson > sse ? NDJSON : SSE;
    }
}
