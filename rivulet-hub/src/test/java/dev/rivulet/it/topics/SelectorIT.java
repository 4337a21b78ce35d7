package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.topics.EventStreamClient.Format;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which events a subscription receives: several exact topics, a URI template, and {@code *}. */
class SelectorIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration RELEASE = Duration.ofSeconds(30);

    private static String subscribePath(String... selectors) {
        StringBuilder path = new StringBuilder("/api/subscribe");
        char sep = '?';
        for (String s : selectors) {
            path.append(sep).append("topic=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
            sep = '&';
        }
        return path.toString();
    }

    /** Ids of the events among {@code messages}, in the order received. */
    private static List<String> eventIds(List<StreamMessage> messages) {
        List<String> ids = new ArrayList<>();
        for (StreamMessage m : messages) {
            assertEquals(StreamMessage.Kind.EVENT, m.kind(), () -> "unexpected message " + m);
            ids.add(m.id());
        }
        return ids;
    }

    private static List<String> ids(Published... published) {
        List<String> ids = new ArrayList<>();
        for (Published p : published) {
            ids.add(p.id());
        }
        return ids;
    }

    @Test
    void aMultiTopicSubscriptionReceivesItsTopicsAndNothingElse() {
        String a = TopicNames.unique("sel-a");
        String b = TopicNames.unique("sel-b");
        String c = TopicNames.unique("sel-c");
        try (EventStreamClient client = EventStreamClient.open(subscribePath(a, b), Format.NDJSON)) {
            Published a1 = HubServer.publish(a, "{\"n\":1}");
            Published c1 = HubServer.publish(c, "{\"n\":2}");
            Published b1 = HubServer.publish(b, "{\"n\":3}");
            Published c2 = HubServer.publish(c, "{\"n\":4}");
            Published a2 = HubServer.publish(a, "{\"n\":5}");

            List<StreamMessage> received = client.readThrough(a2.id(), WITHIN);

            assertEquals(ids(a1, b1, a2), eventIds(received), "events of " + a + " and " + b + " only, in order");
            assertEquals(List.of(a, b, a), received.stream().map(StreamMessage::topic).toList());
            assertEquals(0, c1.deliveredTo() + c2.deliveredTo(), "nobody subscribes to " + c);
            assertEquals(1, a1.deliveredTo());
        }
        HubServer.awaitSubscribers(a, 0, RELEASE);
        HubServer.awaitSubscribers(b, 0, RELEASE);
    }

    @Test
    void aUriTemplateSelectsOneSegmentInItsPlace() {
        String base = "https://example.com/" + TopicNames.unique("shelf");
        try (EventStreamClient client = EventStreamClient.open(subscribePath(base + "/books/{id}"), Format.SSE)) {
            Published book1 = HubServer.publish(base + "/books/1", "{\"book\":1}");
            Published reviews = HubServer.publish(base + "/books/1/reviews", "{\"review\":1}");
            Published author = HubServer.publish(base + "/authors/1", "{\"author\":1}");
            Published book2 = HubServer.publish(base + "/books/2", "{\"book\":2}");

            List<StreamMessage> received = client.readThrough(book2.id(), WITHIN);

            assertEquals(ids(book1, book2), eventIds(received));
            assertEquals(HubServer.json("{\"book\":1}"), received.get(0).json());
            assertEquals(0, reviews.deliveredTo() + author.deliveredTo(), "the template must not match them");
        }
        HubServer.awaitSubscribers(base + "/books/1", 0, RELEASE);
    }

    @Test
    void aWildcardSubscriberSeesEveryTopic() {
        String prefix = TopicNames.unique("wild");
        List<String> topics = List.of(prefix + "/one", prefix + "-two", "https://example.com/" + prefix);
        try (EventStreamClient client = EventStreamClient.open(subscribePath("*"), Format.NDJSON)) {
            List<Published> published = new ArrayList<>();
            for (String t : topics) {
                published.add(HubServer.publish(t, "{\"topic\":\"" + t + "\"}"));
            }
            Set<String> mine = published.stream().map(Published::id).collect(Collectors.toSet());
            String last = published.get(published.size() - 1).id();

            // Other topics (other tests, the price ticker) may interleave; only ours are checked.
            List<StreamMessage> ours = client.readThrough(last, WITHIN).stream()
                    .filter(m -> mine.contains(m.id()))
                    .toList();

            assertEquals(published.stream().map(Published::id).toList(), eventIds(ours));
            assertEquals(topics, ours.stream().map(StreamMessage::topic).toList());
        }
        // The wildcard subscription covers every topic: once released, ours show no subscriber.
        for (String t : topics) {
            HubServer.awaitSubscribers(t, 0, RELEASE);
        }
    }
}
