package dev.rivulet.mercure;

import dev.rivulet.gate.Grant;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.TopicSelector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mercure's active subscriptions, when {@code rivulet.mercure.subscriptions} is on: each Mercure
 * stream is a subscriber ({@code urn:uuid:...}) with one subscription per topic selector. Its
 * connecting and its end each publish a private update to
 * {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}} (both percent-encoded) whose data
 * is the subscription's JSON-LD document, with the token's {@code mercure.payload}; the
 * subscriptions API lists the live ones of this node.
 */
@ApplicationScoped
public class MercureSubscriptions {

    static final String BASE = "/.well-known/mercure/subscriptions";
    static final String CONTEXT = "https://mercure.rocks/";
    private static final Logger LOG = Logger.getLogger(MercureSubscriptions.class.getName());

    /** One subscription: a selector of one subscriber. */
    record Subscription(String topic, String subscriber, String payload) {

        /** The subscription's IRI, and the topic of its events. */
        String id() {
            return BASE + "/" + encode(topic) + "/" + encode(subscriber);
        }

        /** The JSON-LD document of the spec, {@code @context} included when {@code standalone}. */
        String json(boolean active, boolean standalone) {
            StringBuilder b = new StringBuilder(256).append('{');
            if (standalone) {
                b.append("\"@context\":").append(JsonText.quote(CONTEXT)).append(',');
            }
            b.append("\"id\":").append(JsonText.quote(id()))
                    .append(",\"type\":\"Subscription\"")
                    .append(",\"topic\":").append(JsonText.quote(topic))
                    .append(",\"subscriber\":").append(JsonText.quote(subscriber))
                    .append(",\"active\":").append(active);
            if (payload != null) {
                b.append(",\"payload\":").append(payload);
            }
            return b.append('}').toString();
        }
    }

    @Inject
    Hub hub;

    @Inject
    MercureConfig config;

    /** The live subscriptions of this node, by subscriber. */
    private final Map<String, List<Subscription>> live = new ConcurrentHashMap<>();

    /** Percent-encodes a URI template variable's value, as RFC 6570 expands it: everything but unreserved characters. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** True when the feature is on. */
    boolean enabled() {
        return config.subscriptions();
    }

    /**
     * A new subscriber with {@code selectors}: announced now, and again when the stream's request
     * completes. Does nothing while the feature is off.
     */
    AsyncListener connected(Grant grant, List<TopicSelector> selectors) {
        if (!enabled()) {
            return null;
        }
        String subscriber = "urn:uuid:" + UUID.randomUUID();
        List<Subscription> subscriptions = new ArrayList<>(selectors.size());
        for (TopicSelector s : selectors) {
            subscriptions.add(new Subscription(s.text(), subscriber, grant.payload()));
        }
        live.put(subscriber, List.copyOf(subscriptions));
        announce(subscriptions, true);
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                ended(subscriber);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                ended(subscriber);
            }

            @Override
            public void onError(AsyncEvent event) {
                ended(subscriber);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // a stream is never restarted
            }
        };
    }

    private void ended(String subscriber) {
        List<Subscription> gone = live.remove(subscriber);
        if (gone != null) {
            announce(gone, false);
        }
    }

    private void announce(List<Subscription> subscriptions, boolean active) {
        for (Subscription s : subscriptions) {
            try {
                hub.publish(new Draft(s.id(), Event.DEFAULT_TYPE, s.json(active, true), true));
            } catch (RuntimeException e) {
                // A draining node or an unreachable broker: the subscription event is lost, the stream is not.
                LOG.log(Level.FINE, "A subscription event could not be published", e);
            }
        }
    }

    /** The live subscriptions of this node. */
    Collection<List<Subscription>> all() {
        return live.values();
    }
}
