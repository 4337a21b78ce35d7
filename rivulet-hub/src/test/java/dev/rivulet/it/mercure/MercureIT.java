package dev.rivulet.it.mercure;

import static dev.rivulet.it.mercure.Mercure.PUBLISHER;
import static dev.rivulet.it.mercure.Mercure.enc;
import static dev.rivulet.it.mercure.Mercure.publish;
import static dev.rivulet.it.mercure.Mercure.token;
import static dev.rivulet.it.mercure.Mercure.topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.mercure.MercureClient.Frame;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Mercure protocol (draft-07) at /.well-known/mercure, point by point, on the shared server. */
class MercureIT {

    private static String topic(String purpose) {
        return "https://example.com/" + TopicNames.unique("mercure-" + purpose);
    }

    private static MercureClient subscribe(String query, String... headers) {
        MercureClient c = MercureClient.open(query, headers);
        assertEquals(200, c.status(), () -> "subscribe answered " + c.status() + " " + c.problem());
        return c;
    }

    private static List<String> ids(List<Frame> frames) {
        return frames.stream().map(Frame::id).toList();
    }

    // --- subscribe and publish ---

    @Test
    void theStreamStartsAtOnceAsEventStreamAndAPublishReachesIt() {
        String t = topic("basic");
        try (MercureClient c = subscribe(topics(t))) {
            // The head was read before anything was published: the hub flushed it at once.
            assertEquals("text/event-stream", c.header("Content-Type").split(";")[0]);
            String id = publish("topic=" + enc(t) + "&data=" + enc("the content"));
            Frame f = c.nextEvent();
            assertEquals("the content", f.data());
            assertEquals(id, f.id(), "the publish answers the id the subscribers get");
            assertNull(f.type(), "no event: line without a type");
        }
    }

    @Test
    void typeRetryAndEveryLineOfDataAreFramedAsSent() {
        String t = topic("framing");
        try (MercureClient c = subscribe(topics(t))) {
            String data = "first\n\n  indented\nlast ";
            publish("topic=" + enc(t) + "&data=" + enc(data) + "&type=book&retry=1500&id=" + enc("urn:example:rev-1"));
            Frame f = c.nextEvent();
            assertEquals(List.of("id: urn:example:rev-1", "event: book", "retry: 1500", "data: first", "data: ",
                    "data:   indented", "data: last "), f.lines());
            assertEquals(data, f.data(), "blank lines and leading spaces kept");
        }
    }

    @Test
    void theHubGeneratesAUrnUuidIdWhenThePublisherGivesNone() {
        String t = topic("generated");
        try (MercureClient c = subscribe(topics(t))) {
            String id = publish("topic=" + enc(t) + "&data=x");
            assertTrue(id.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), id);
            UUID.fromString(id.substring("urn:uuid:".length()));
            assertEquals(id, c.nextEvent().id());
            assertNotEquals(id, publish("topic=" + enc(t) + "&data=y"));
        }
    }

    @Test
    void severalTopicsOnOneStream() {
        String a = topic("several-a");
        String b = topic("several-b");
        String other = topic("several-other");
        try (MercureClient c = subscribe(topics(a, b))) {
            String first = publish("topic=" + enc(a) + "&data=1");
            publish("topic=" + enc(other) + "&data=2");
            String third = publish("topic=" + enc(b) + "&data=3");
            assertEquals(List.of(first, third), ids(c.events(2)));
        }
    }

    @Test
    void anAlternateTopicReachesItsSubscribersAsTheSameUpdate() {
        String canonical = topic("canonical");
        String alternate = topic("alternate");
        try (MercureClient onAlternate = subscribe(topics(alternate));
             MercureClient onBoth = subscribe(topics(canonical, alternate))) {
            String id = publish("topic=" + enc(canonical) + "&topic=" + enc(alternate) + "&data=x");
            String after = publish("topic=" + enc(alternate) + "&data=y");
            assertEquals(List.of(id, after), ids(onAlternate.events(2)));
            assertEquals(List.of(id, after), ids(onBoth.events(2)), "once, though both topics match");
        }
    }

    @Test
    void uriTemplatesAndTheWildcardSelectTopics() {
        String base = topic("books");
        try (MercureClient template = subscribe(topics(base + "/{id}"));
             MercureClient all = subscribe(topics("*"))) {
            publish("topic=" + enc(base + "/1/reviews") + "&data=deeper");
            String matching = publish("topic=" + enc(base + "/1") + "&data=book");
            assertEquals(matching, template.nextEvent().id(), "{id} is one path segment");
            Frame f;
            do {
                f = all.nextEvent();
            } while (!f.id().equals(matching));
        }
    }

    // --- authorization ---

    @Test
    void aPrivateUpdateReachesOnlyAuthorizedSubscribers() {
        String t = topic("private");
        String allowed = token("{\"subscribe\":[" + "\"" + t + "\"" + "]}");
        String other = token("{\"subscribe\":[\"https://example.com/elsewhere/{id}\"]}");
        try (MercureClient anonymous = subscribe(topics(t));
             MercureClient authorized = subscribe(topics(t), "Authorization", "Bearer " + allowed);
             MercureClient unauthorized = subscribe(topics(t), "Authorization", "Bearer " + other)) {
            String secret = publish("topic=" + enc(t) + "&data=secret&private=on");
            String marker = publish("topic=" + enc(t) + "&data=public");
            assertEquals(List.of(secret, marker), ids(authorized.events(2)));
            assertEquals(marker, anonymous.nextEvent().id(), "the private update was skipped");
            assertEquals(marker, unauthorized.nextEvent().id());
        }
    }

    @Test
    void aPrivateUpdateReachesASubscriberAuthorizedForAnAlternateTopicOnly() {
        String book = topic("alt-private-book");
        String user = topic("alt-private-user");
        String claim = token("{\"subscribe\":[" + "\"" + user + "/{+rest}\"" + "]}");
        try (MercureClient c = subscribe(topics(book), "Authorization", "Bearer " + claim)) {
            String id = publish("topic=" + enc(book) + "&topic=" + enc(user + "/?topic=" + enc(book)) + "&private=on&data=x");
            assertEquals(id, c.nextEvent().id());
        }
    }

    @Test
    void theTokenMayComeInTheHeaderTheCookieOrTheQuery() {
        String t = topic("locations");
        String jws = token("{\"subscribe\":[\"*\"]}");
        try (MercureClient header = subscribe(topics(t), "Authorization", "Bearer " + jws);
             MercureClient cookie = subscribe(topics(t), "Cookie", "mercureAuthorization=" + jws);
             MercureClient query = subscribe(topics(t) + "&authorization=" + jws)) {
            String id = publish("topic=" + enc(t) + "&private=on&data=x");
            assertEquals(id, header.nextEvent().id());
            assertEquals(id, cookie.nextEvent().id());
            assertEquals(id, query.nextEvent().id());
            assertTrue(query.header("Cache-Control").contains("private"), "a token in the URL: the answer is private");
        }
        HttpResponse<String> byCookie = Mercure.post(HubServer.port(), "topic=" + enc(t) + "&data=y",
                "Cookie", "mercureAuthorization=" + PUBLISHER);
        assertEquals(200, byCookie.statusCode(), byCookie.body());
        HttpResponse<String> byQuery = HubServer.send(java.net.http.HttpRequest.newBuilder(
                        HubServer.uri("/.well-known/mercure?authorization=" + PUBLISHER))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("topic=" + enc(t) + "&data=z")).build());
        assertEquals(200, byQuery.statusCode(), byQuery.body());
    }

    @Test
    void theHeaderWinsOverTheQueryAndTheCookie() {
        String t = topic("precedence");
        String good = token("{\"subscribe\":[\"*\"]}");
        try (MercureClient c = MercureClient.open(topics(t) + "&authorization=not-a-token",
                "Authorization", "Bearer " + good, "Cookie", "mercureAuthorization=not-a-token")) {
            assertEquals(200, c.status(), c.problem());
        }
    }

    @Test
    void anInvalidTokenIsRefusedWith401() {
        String forged = PUBLISHER.substring(0, PUBLISHER.lastIndexOf('.') + 1) + "AAAA";
        try (MercureClient c = MercureClient.open(topics(topic("forged")), "Authorization", "Bearer " + forged)) {
            assertEquals(401, c.status());
            assertTrue(c.problem().contains("invalid-token"), c.problem());
        }
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=x&data=y", "Authorization", "Bearer " + forged),
                401, "invalid-token");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=x&data=y"), 401, "token-required");
    }

    @Test
    void aPublishBeyondTheClaimIsRefusedWith403() {
        String allowed = topic("claim");
        String books = token("{\"publish\":[" + "\"" + allowed + "\"" + "]}");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + enc(topic("other")), "Authorization", "Bearer " + books),
                403, "forbidden");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + enc(allowed) + "&topic=" + enc(topic("alt")),
                "Authorization", "Bearer " + books), 403, "forbidden");
        String subscribeOnly = token("{\"subscribe\":[\"*\"]}");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + enc(allowed), "Authorization", "Bearer " + subscribeOnly),
                403, "forbidden");
        assertEquals(200, Mercure.post(HubServer.port(), "topic=" + enc(allowed), "Authorization", "Bearer " + books).statusCode());
    }

    // --- reconnection ---

    @Test
    void aPublishersIdResumesWithTheLastEventIdHeader() {
        String t = topic("custom-ids");
        publish("topic=" + enc(t) + "&data=1&id=" + enc(t + "#1"));
        String second = publish("topic=" + enc(t) + "&data=2&id=" + enc(t + "#2"));
        String third = publish("topic=" + enc(t) + "&data=3&id=" + enc(t + "#3"));
        assertEquals(t + "#2", second);
        try (MercureClient c = subscribe(topics(t), "Last-Event-ID", t + "#1")) {
            assertEquals(t + "#1", c.header("Last-Event-ID"), "the id the replay follows");
            assertEquals(List.of(second, third), ids(c.events(2)));
        }
    }

    @Test
    void theHubsIdsResumeWithTheLastEventIdQueryParameter() {
        String t = topic("query-resume");
        String first = publish("topic=" + enc(t) + "&data=1");
        String second = publish("topic=" + enc(t) + "&data=2");
        try (MercureClient c = subscribe(topics(t) + "&lastEventID=" + enc(first))) {
            assertEquals(first, c.header("Last-Event-ID"));
            assertEquals(second, c.nextEvent().id());
        }
    }

    @Test
    void theHeaderTakesPrecedenceOverTheQueryParameter() {
        String t = topic("resume-precedence");
        String first = publish("topic=" + enc(t) + "&data=1");
        String second = publish("topic=" + enc(t) + "&data=2");
        String third = publish("topic=" + enc(t) + "&data=3");
        try (MercureClient c = subscribe(topics(t) + "&lastEventID=" + enc(first), "Last-Event-ID", second)) {
            assertEquals(second, c.header("Last-Event-ID"));
            assertEquals(third, c.nextEvent().id());
        }
    }

    @Test
    void earliestReplaysEverythingRetained() {
        String t = topic("earliest");
        String first = publish("topic=" + enc(t) + "&data=1");
        String second = publish("topic=" + enc(t) + "&data=2");
        try (MercureClient c = subscribe(topics(t) + "&lastEventID=earliest")) {
            assertEquals("earliest", c.header("Last-Event-ID"));
            assertEquals(List.of(first, second), ids(c.events(2)));
        }
    }

    @Test
    void anUnknownIdReplaysEverythingRetainedAndSaysEarliest() {
        String t = topic("unknown");
        String first = publish("topic=" + enc(t) + "&data=1");
        try (MercureClient c = subscribe(topics(t), "Last-Event-ID", "urn:example:never-published")) {
            assertEquals("earliest", c.header("Last-Event-ID"), "no event the hub knows precedes the replay");
            Frame f = c.nextEvent();
            assertEquals(first, f.id());
            assertNull(f.type(), "no gap notice: that is not Mercure");
        }
    }

    @Test
    void aStreamWithoutLastEventIdHasNoLastEventIdHeader() {
        try (MercureClient c = subscribe(topics(topic("no-resume")))) {
            assertNull(c.header("Last-Event-ID"));
        }
    }

    @Test
    void aClientCutOffResumesWithTheIdItLastSawExactlyOnce() {
        String t = topic("cut");
        String resumeWith;
        try (MercureClient c = subscribe(topics(t))) {
            publish("topic=" + enc(t) + "&data=1");
            c.nextEvent();
            resumeWith = c.lastEventId();
        }
        String second = publish("topic=" + enc(t) + "&data=2");
        try (MercureClient c = subscribe(topics(t), "Last-Event-ID", resumeWith)) {
            String third = publish("topic=" + enc(t) + "&data=3");
            assertEquals(List.of(second, third), ids(c.events(2)), "the missed one, then live, none twice");
        }
    }

    @Test
    void aClientCutOffBeforeItsFirstEventResumesFromTheOpeningId() {
        String t = topic("cut-early");
        String opening;
        try (MercureClient c = subscribe(topics(t))) {
            Frame f = c.next();
            assertNull(f.data());
            opening = c.lastEventId();
        }
        String missed = publish("topic=" + enc(t) + "&data=1");
        try (MercureClient c = subscribe(topics(t), "Last-Event-ID", opening)) {
            assertEquals(missed, c.nextEvent().id());
        }
    }

    // --- bad input ---

    @Test
    void badPublishesAreProblemsThatSayWhatWasWrong() {
        String t = enc(topic("bad"));
        String auth = "Bearer " + PUBLISHER;
        HubServer.assertProblem(Mercure.post(HubServer.port(), "data=no-topic", "Authorization", auth), 400, "invalid-topic");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + t + "&retry=soon", "Authorization", auth), 400, "invalid-retry");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + t + "&id=%23frag", "Authorization", auth), 400, "invalid-id");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + t + "&data=%zz", "Authorization", auth), 400, "invalid-form");
        HubServer.assertProblem(Mercure.post(HubServer.port(), "topic=" + t + "&type=gap", "Authorization", auth), 400, "invalid-type");
        HubServer.assertProblem(HubServer.request("POST", "/.well-known/mercure", "{}", "Authorization", auth,
                "Content-Type", "application/json"), 415, "unsupported-media-type");
    }

    @Test
    void dataIsLimitedAsStoredByTheHubsPayloadLimit() {
        // The shared server keeps the default limit, 1 MiB; the data is stored as one JSON string, quotes included.
        int max = 1_048_576;
        String t = "topic=" + enc(topic("size"));
        assertEquals(200, Mercure.post(HubServer.port(), t + "&data=" + "a".repeat(max - 2),
                "Authorization", "Bearer " + PUBLISHER).statusCode());
        HubServer.assertProblem(Mercure.post(HubServer.port(), t + "&data=" + "a".repeat(max - 1),
                "Authorization", "Bearer " + PUBLISHER), 413, "payload-too-large");
    }

    @Test
    void onlyGetSubscribes() {
        assertEquals(405, HubServer.request("HEAD", "/.well-known/mercure?topic=x", null).statusCode());
        HubServer.assertProblem(HubServer.request("PUT", "/.well-known/mercure", "x"), 405, "method-not-allowed");
    }

    @Test
    void aSubscriptionNeedsATopic() {
        try (MercureClient c = MercureClient.open("lastEventID=earliest")) {
            assertEquals(400, c.status());
            assertTrue(c.problem().contains("invalid-selector"), c.problem());
        }
    }

    // --- discovery, CORS, metrics ---

    @Test
    void theHubsTopicResourcesLinkToTheMercureHub() {
        HttpResponse<String> r = HubServer.get("/api/topics/" + TopicNames.unique("discovery") + "/history");
        assertEquals(200, r.statusCode());
        assertEquals("<http://" + HubServer.HOST + ":" + HubServer.port() + "/.well-known/mercure>; rel=\"mercure\"",
                r.headers().firstValue("Link").orElse(""));
    }

    @Test
    void aPageOfAListedOriginMayCallTheHub() {
        HttpResponse<String> preflight = HubServer.request("OPTIONS", "/.well-known/mercure", null,
                "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization");
        assertEquals(204, preflight.statusCode());
        assertEquals("https://app.example.com", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        try (MercureClient c = subscribe(topics(topic("cors")), "Origin", "https://app.example.com")) {
            assertEquals("https://app.example.com", c.header("Access-Control-Allow-Origin"));
            assertTrue(c.header("Access-Control-Expose-Headers").contains("Last-Event-ID"));
        }
    }

    @Test
    void mercureStreamsAreCountedUnderTheirOwnTransport() {
        String t = topic("metrics");
        try (MercureClient c = subscribe(topics(t))) {
            publish("topic=" + enc(t) + "&data=x");
            c.nextEvent();
            dev.rivulet.testing.Poll.until("the delivery is counted", java.time.Duration.ofSeconds(10),
                    () -> HubServer.metric(HubServer.metrics(), "rivulet_events_delivered_total", "transport", "mercure"),
                    v -> v >= 1);
            assertTrue(HubServer.metric(HubServer.metrics(), "rivulet_connections", "transport", "mercure") >= 1);
        }
    }
}
