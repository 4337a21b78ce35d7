package dev.rivulet.poll;

import dev.rivulet.gate.Caller;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.Grant;
import dev.rivulet.gate.Permit;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.Subscriber;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Subscription;
import dev.rivulet.hub.TopicSelector;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import dev.rivulet.stream.ClientGone;
import dev.rivulet.stream.Connection;
import dev.rivulet.stream.Connections;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.List;

/**
 * Opens long polls: each is a {@link Connection} under the gate like any stream (it counts against
 * the connection limits while it waits, and a drain answers it), subscribed to the hub with the
 * client's cursor, that writes one answer and ends.
 */
@ApplicationScoped
public class LongPolls {

    @Inject
    Hub hub;

    @Inject
    ConnectionGate gate;

    @Inject
    Traffic traffic;

    @Inject
    Connections connections;

    @Inject
    PollConfig config;

    @Resource
    ManagedScheduledExecutorService timers;

    /** Admits, subscribes and leaves the request async, waiting for its answer. */
    void open(HttpServletRequest request, HttpServletResponse response, List<TopicSelector> selectors, Grant grant,
              String since, Duration wait, int limit) {
        Permit permit = gate.admit(Transport.LONGPOLL, Caller.key(grant, request.getRemoteAddr()));
        Connection connection = connections.create(Transport.LONGPOLL, permit, grant.expires(), false);
        PollAnswer answer = new PollAnswer(connection, limit, config.coalesce(), timers, traffic);
        Subscriber subscriber;
        try {
            subscriber = hub.subscribe(Subscription.to(selectors, answer::subscriptionChanged)
                    .seeing(grant.subscribe()).after(since));
        } catch (RuntimeException e) {
            permit.withdraw();
            throw e;
        }
        try {
            AsyncContext async = request.startAsync();
            async.setTimeout(0);
            async.addListener(new ClientGone(connection));
            answer.bind(subscriber, async, response);
            connections.startOnWake(connection, answer);
        } catch (RuntimeException e) {
            subscriber.close(CloseReason.CLIENT_GONE);
            permit.release(CloseReason.CLIENT_GONE);
            throw e;
        }
        answer.await(wait);
    }
}
