package dev.rivulet.stream;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Pace;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscription;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Opens the node's SSE and NDJSON streams of hub events, each a {@link Connection} of its own. */
@ApplicationScoped
public class EventStreams {

    @Inject
    Hub hub;

    @Inject
    ConnectionGate gate;

    @Inject
    Traffic traffic;

    @Inject
    Connections connections;

    /** Each transport's encodings of recent events, shared by all its streams. */
    private final Map<Transport, FrameCache<byte[]>> frames = new EnumMap<>(Map.of(
            Transport.SSE, new FrameCache<>(), Transport.NDJSON, new FrameCache<>(),
            Transport.MERCURE, new FrameCache<>()));

    /**
     * What a transport adds once the stream's subscription is known and the request is async, before
     * the headers are sent: headers of its own, listeners on the request's {@link AsyncContext}.
     */
    @FunctionalInterface
    public interface Headers {
        Headers NONE = (subscriber, response) -> { };

        void add(Subscriber subscriber, HttpServletResponse response);
    }

    /**
     * Answers the request with the head of a stream of {@code contentType} that {@code connection}
     * writes, sent at once, and leaves it async until the connection ends it.
     */
    public static AsyncContext beginStream(HttpServletRequest request, HttpServletResponse response, String contentType,
                                           Connection connection) throws IOException {
        return beginStream(request, response, contentType, connection, () -> { });
    }

    /** As above, with {@code beforeFlush} run once the request is async and before the headers are sent. */
    static AsyncContext beginStream(HttpServletRequest request, HttpServletResponse response, String contentType,
                                    Connection connection, Runnable beforeFlush) throws IOException {
        response.setStatus(200);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        async.addListener(new ClientGone(connection));
        beforeFlush.run();
        // Send the headers now; some clients wait for them before they count the stream as open.
        response.flushBuffer();
        return async;
    }

    /**
     * Starts a stream for the request: admits it through the gate (a {@link dev.rivulet.gate.Refusal}
     * when it may not open), subscribes, commits the headers, and leaves the request async.
     */
    public void open(HttpServletRequest request, HttpServletResponse response, List<TopicSelector> selectors,
              Grant grant, String lastEventId, Pace pace, StreamEncoder encoder) throws IOException {
        open(request, response, selectors, grant, lastEventId, pace, encoder, Headers.NONE);
    }

    /** The same, with {@code headers} added to the response before it is committed. */
    public void open(HttpServletRequest request, HttpServletResponse response, List<TopicSelector> selectors,
              Grant grant, String lastEventId, Pace pace, StreamEncoder encoder, Headers headers) throws IOException {
        Permit permit = gate.admit(encoder.transport(), Caller.key(grant, request.getRemoteAddr()));
        Connection connection = connections.create(encoder.transport(), permit, grant.expires(), true);
        EventStream stream = new EventStream(connection, encoder, frames.get(encoder.transport()), traffic);
        Subscriber subscriber;
        try {
            // Input the hub refuses is still answered with a plain problem response.
            subscriber = hub.subscribe(Subscription.to(selectors, stream::subscriptionChanged)
                    .seeing(grant.subscribe()).after(lastEventId).paced(pace));
            stream.subscribed(subscriber);
        } catch (RuntimeException e) {
            permit.withdraw();
            throw e;
        }
        try {
            AsyncContext async = beginStream(request, response, encoder.contentType(), connection,
                    () -> headers.add(subscriber, response));
            stream.bind(async, response.getOutputStream());
            connections.start(connection, stream);
        } catch (IOException | RuntimeException e) {
            subscriber.close(CloseReason.CLIENT_GONE);
            permit.release(CloseReason.CLIENT_GONE);
            throw e;
        }
    }
}
