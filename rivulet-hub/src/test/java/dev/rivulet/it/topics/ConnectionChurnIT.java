package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many subscribers connecting and leaving (gracefully or abruptly) leave no subscription behind. */
class ConnectionChurnIT {

    private static final int CONNECTIONS = 1000;
    private static final int ROUNDS = 3;
    private static final Duration RELEASE = Duration.ofSeconds(30);

    @Test
    void aThousandSubscribersComeAndGoWithoutLeavingSubscriptionsBehind() {
        String topic = TopicNames.unique("churn");
        String path = "/api/topics/" + topic;

        for (int round = 1; round <= ROUNDS; round++) {
            List<EventStreamClient> clients = new ArrayList<>(CONNECTIONS);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(EventStreamClient.connect(path, Format.SSE, null, 0));
                }
                for (EventStreamClient c : clients) {
                    c.readHead();
                    assertEquals(200, c.status(), "round " + round + ": a subscription was refused");
                    c.opening();
                }

                assertEquals(CONNECTIONS, HubServer.subscribers(topic),
                        "round " + round + ": every open stream is a subscriber");
            } finally {
                // Half leave politely (FIN), half vanish (RST).
                for (int i = 0; i < clients.size(); i++) {
                    if (i % 2 == 0) {
                        clients.get(i).close();
                    } else {
                        clients.get(i).abort();
                    }
                }
            }

            HubServer.awaitSubscribers(topic, 0, RELEASE);
        }

        // Nothing of the departed subscriptions is left to deliver to: one new subscriber gets it all.
        try (EventStreamClient last = EventStreamClient.open(path, Format.SSE)) {
            Published published = HubServer.publish(topic, "{\"after\":\"churn\"}");
            assertEquals(1, published.deliveredTo());
            StreamMessage m = last.nextMessage(Duration.ofSeconds(20));
            assertNotNull(m);
            assertEquals(published.id(), m.id());
        }
        HubServer.awaitSubscribers(topic, 0, RELEASE);
    }
}
