package dev.rivulet.it.mercure;

import static dev.rivulet.it.mercure.Mercure.enc;
import static dev.rivulet.it.mercure.Mercure.token;
import static dev.rivulet.it.mercure.Mercure.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Mercure's active subscriptions on the shared server, where {@code rivulet.mercure.subscriptions}
 * is on: connect and disconnect events with the subscriber's payload, and the subscriptions API.
 */
class MercureSubscriptionsIT {

    private static final String EVENTS = "/.well-known/mercure/subscriptions/{topic}/{subscriber}";
    private static final String WATCHER = token("{\"subscribe\":[\"" + EVENTS + "\"]}");
    private static final String READER = token("{\"subscribe\":[\"/.well-known/mercure/subscriptions\","
            + "\"/.well-known/mercure/subscriptions/{+rest}\"]}");

    /** The next subscription event of {@code topic} the watcher gets; other tests' streams make theirs too. */
    private static JsonObject nextFor(MercureClient watcher, String topic) {
        while (true) {
            JsonObject event = HubServer.json(watcher.nextEvent().data()).asJsonObject();
            if (event.getString("topic").equals(topic)) {
                return event;
            }
        }
    }

    private static HttpResponse<String> api(String path, String token) {
        return token == null ? HubServer.request("GET", path, null)
                : HubServer.request("GET", path, null, "Authorization", "Bearer " + token);
    }

    @Test
    void connectingAndLeavingPublishPrivateSubscriptionEventsWithThePayload() {
        String topic = TopicNames.unique("mercure-subscribed");
        String subscriberToken = token("{\"subscribe\":[],\"payload\":{\"user\":\"alice\"}}");
        try (MercureClient watcher = MercureClient.open(topics(EVENTS), "Authorization", "Bearer " + WATCHER);
             MercureClient anonymous = MercureClient.open(topics(EVENTS))) {
            assertEquals(200, watcher.status());
            String subscriber;
            try (MercureClient subscribed = MercureClient.open(topics(topic), "Authorization", "Bearer " + subscriberToken)) {
                assertEquals(200, subscribed.status());
                JsonObject connected = nextFor(watcher, topic);
                assertEquals("Subscription", connected.getString("type"));
                assertEquals("https://mercure.rocks/", connected.getString("@context"));
                assertTrue(connected.getBoolean("active"));
                assertEquals("alice", connected.getJsonObject("payload").getString("user"));
                subscriber = connected.getString("subscriber");
                assertTrue(subscriber.startsWith("urn:uuid:"), subscriber);
                assertEquals("/.well-known/mercure/subscriptions/" + enc(topic) + "/" + enc(subscriber).replace("+", "%20"),
                        connected.getString("id"));

                JsonObject one = HubServer.json(api(connected.getString("id"), READER).body()).asJsonObject();
                assertEquals(subscriber, one.getString("subscriber"));
                assertTrue(one.getString("lastEventID").startsWith("urn:uuid:"));
            }
            JsonObject left = nextFor(watcher, topic);
            assertEquals(false, left.getBoolean("active"));
            assertEquals(subscriber, left.getString("subscriber"));
            // The events are private: a subscriber without the claim got neither; this public one comes first.
            String marker = Mercure.publish("topic=" + enc("/.well-known/mercure/subscriptions/x/y") + "&data=marker");
            assertEquals(marker, anonymous.nextEvent().id());
        }
    }

    @Test
    void theApiListsLiveSubscriptionsAsJsonLd() {
        String topic = TopicNames.unique("mercure-listed");
        try (MercureClient subscribed = MercureClient.open(topics(topic, topic + "/{id}"))) {
            assertEquals(200, subscribed.status());
            HttpResponse<String> all = api("/.well-known/mercure/subscriptions", READER);
            assertEquals(200, all.statusCode(), all.body());
            assertEquals("application/ld+json", all.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            JsonObject doc = HubServer.json(all.body()).asJsonObject();
            assertEquals("Subscriptions", doc.getString("type"));
            assertEquals("/.well-known/mercure/subscriptions", doc.getString("id"));
            long mine = doc.getJsonArray("subscriptions").getValuesAs(JsonObject.class).stream()
                    .filter(s -> s.getString("topic").startsWith(topic)).count();
            assertEquals(2, mine, "one subscription per topic selector");

            JsonObject byTopic = HubServer.json(api("/.well-known/mercure/subscriptions/" + enc(topic), READER).body()).asJsonObject();
            assertEquals(1, byTopic.getJsonArray("subscriptions").size());
        }
    }

    @Test
    void theApiNeedsATokenCoveringItsUrl() {
        HubServer.assertProblem(api("/.well-known/mercure/subscriptions", null), 401, "token-required");
        HubServer.assertProblem(api("/.well-known/mercure/subscriptions", WATCHER), 403, "forbidden");
        HubServer.assertProblem(api("/.well-known/mercure/subscriptions/t/urn%3Auuid%3Anone", READER), 404, "not-found");
    }
}
