package dev.rivulet.ops;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Transport;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.Connections;
import dev.rivulet.stream.EventStreams;
import dev.rivulet.stream.SseEncoder;
import dev.rivulet.web.Credentials;
import dev.rivulet.web.Problem;
import dev.rivulet.web.Refusals;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /api/stats}: the node's vital signs as SSE, an {@code event: stats} with one JSON
 * sample a second (see {@link StatsSampler}), for the console's overview. Open like /metrics and
 * /health; a stream under the connection gate like any other.
 */
public class StatsFilter extends HttpFilter {

    @Inject
    StatsSampler sampler;

    @Inject
    ConnectionGate gate;

    @Inject
    Connections connections;

    @Inject
    Refusals refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            refusals.write(response, Problem.forStatus(405));
            return;
        }
        try {
            Grant grant = Credentials.grantOf(request);
            Permit permit = gate.admit(Transport.SSE, Caller.key(grant, request.getRemoteAddr()));
            Connection connection = connections.create(Transport.SSE, permit, grant.expires(), true);
            StatsStream stream = new StatsStream(connection, sampler::unwatch);
            try {
                AsyncContext async = EventStreams.beginStream(request, response, SseEncoder.MEDIA_TYPE, connection);
                stream.bind(async, response.getOutputStream());
            } catch (IOException | RuntimeException e) {
                permit.release(CloseReason.CLIENT_GONE);
                throw e;
            }
            connections.start(connection, stream);
            String first = sampler.watch(stream);
            if (connection.closeReason() != null) {
                // The client left while it was being added: closing() ran before watch().
                sampler.unwatch(stream);
            } else {
                stream.offer(first);
            }
        } catch (RuntimeException e) {
            refusals.write(response, e);
        }
    }
}
