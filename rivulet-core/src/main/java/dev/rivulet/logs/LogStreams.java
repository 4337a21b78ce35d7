package dev.rivulet.logs;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.stream.ClientGone;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.Connections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Opens the node's log exports and tails, each a {@link Connection} of its own, so each is written
 * by its own virtual thread and kept alive, drained for shutdown and ended like every stream.
 *
 * <p>A tail is a streaming connection like the hub's: it is admitted through the connection gate
 * (as NDJSON or SSE), counted under its limits, kept alive (every {@code rivulet.sse.keep-alive})
 * and ended when its token expires. An export is finite and stays outside the gate; a drain lets
 * it run to its end within the grace, and the grace's end cuts it off.
 */
@ApplicationScoped
public class LogStreams {

    @Inject
    Hub hub;

    @Inject
    LogStore store;

    @Inject
    LogsConfig config;

    @Inject
    LogMetrics metrics;

    @Inject
    ConnectionGate gate;

    @Inject
    Connections connections;

    /**
     * Answers the request with a stream for {@code query}; the request continues asynchronously.
     * A tail is admitted through the gate first, for the caller (see {@link Caller#key}): a
     * {@link dev.rivulet.gate.Refusal} when it may not open.
     */
    void open(HttpServletRequest request, HttpServletResponse response, LogQuery query,
              Grant grant, LogFormat format, boolean gzip) {
        boolean tail = query.follow();
        Permit permit = tail ? gate.admit(format.transport(), Caller.key(grant, request.getRemoteAddr())) : null;
        Connection connection = connections.create(format.transport(), permit, tail ? grant.expires() : null, tail);
        LogStream stream = new LogStream(query, grant, format, gzip, store, hub, metrics, config.fetchSize(), connection);
        AsyncContext async;
        try {
            async = request.startAsync();
        } catch (RuntimeException e) {
            if (permit != null) {
                permit.withdraw();
            }
            throw e;
        }
        async.setTimeout(0);
        async.addListener(new ClientGone(connection));
        metrics.streamOpened();
        try {
            stream.bind(async, response);
        } catch (RuntimeException e) {
            stream.end(CloseReason.ERROR);
            if (permit != null) {
                permit.release(CloseReason.ERROR);
            }
            throw e;
        }
        connections.start(connection, stream);
    }
}
