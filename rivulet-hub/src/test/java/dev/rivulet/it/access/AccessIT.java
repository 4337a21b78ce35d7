package dev.rivulet.it.access;

import static dev.rivulet.it.HubServer.assertProblem;
import static dev.rivulet.it.HubServer.request;
import static dev.rivulet.it.chat.ChatClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.it.logs.LogStreamClient;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.it.topics.StreamMessage;
import dev.rivulet.testing.Poll;
import dev.rivulet.testing.Tokens;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, on the running server: tokens from the header, the query and a cookie; publish
 * and read claims; private events on live streams and in history; the topic list; logs; the chat
 * handshake; and CORS. The server runs on the development secret and lists one CORS origin.
 */
class AccessIT {

    private static final String LISTED_ORIGIN = "https://app.example.com";

    private static String token(String claims) {
        return Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, claims);
    }

    private static String claims(String sub, List<String> publish, List<String> subscribe) {
        return "{\"sub\":\"" + sub + "\",\"rivulet\":{\"publish\":" + array(publish) + ",\"subscribe\":" + array(subscribe) + "}}";
    }

    private static String array(List<String> items) {
        return items.stream().map(s -> "\"" + s + "\"").reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElse("[]");
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> publish(String topic, String query, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return request("POST", "/api/topics/" + topic + (query == null ? "" : "?" + query), "{\"n\":1}", all);
    }

    @Test
    void publishingNeedsAToken() {
        assertProblem(publish(TopicNames.unique("anon"), null), 401, "token-required");
    }

    @Test
    void forgedExpiredUnsignedAndMalformedTokensAreRefusedWithoutBeingEchoed() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> bad = Map.of(
                "forged", Tokens.hs256("not-the-secret-but-just-as-long-as-it", Tokens.EVERYTHING),
                "expired", token("{\"exp\":" + (now - 3600) + ",\"rivulet\":{\"publish\":[\"*\"]}}"),
                "not yet valid", token("{\"nbf\":" + (now + 3600) + ",\"rivulet\":{\"publish\":[\"*\"]}}"),
                "alg none", Tokens.unsigned(Tokens.EVERYTHING),
                "garbage", "abc.def.ghi");
        String topic = TopicNames.unique("forged");
        bad.forEach((what, token) -> {
            HttpResponse<String> r = publish(topic, null, "Authorization", "Bearer " + token);
            assertProblem(r, 401, "invalid-token");
            assertFalse(r.body().contains(token), what + ": the token is echoed");
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"), what);
        });
        assertProblem(publish(topic, null, "Authorization", "Basic dXNlcjpwYXNz"), 401, "invalid-token");
        // A stream is refused the same way: a token that is wrong is never taken as anonymous.
        assertProblem(request("GET", "/api/topics/" + topic + "/history?access_token=" + q(bad.get("forged")), null),
                401, "invalid-token");
        assertFalse(HubServer.topics().containsKey(topic), "nothing was published");
    }

    @Test
    void aTokenPublishesOnlyToTheTopicsItsClaimCovers() {
        String prefix = TopicNames.unique("books");
        String bearer = "Bearer " + token(claims("pub", List.of(prefix + "/{id}"), List.of()));
        assertEquals(200, publish(prefix + "/1", null, "Authorization", bearer).statusCode());
        assertProblem(publish(prefix + "/1/reviews", null, "Authorization", bearer), 403, "forbidden");
        assertProblem(publish(TopicNames.unique("other"), null, "Authorization", bearer), 403, "forbidden");
    }

    @Test
    void theTokenMayComeInTheQueryOrACookieAndACookieOnlyFromOwnOrListedOrigins() {
        String topic = TopicNames.unique("sources");
        String t = token(claims("pub", List.of(topic), List.of()));
        assertEquals(200, publish(topic, "access_token=" + q(t)).statusCode());
        assertEquals(200, publish(topic, null, "Cookie", "rivuletAuthorization=" + t).statusCode());
        assertEquals(200, publish(topic, null, "Cookie", "rivuletAuthorization=" + t, "Origin", LISTED_ORIGIN).statusCode());
        assertEquals(200, publish(topic, null, "Cookie", "rivuletAuthorization=" + t,
                "Origin", "http://" + HubServer.HOST + ":" + HubServer.port()).statusCode(), "the hub's own pages");
        assertProblem(publish(topic, null, "Cookie", "rivuletAuthorization=" + t, "Origin", "https://evil.example"),
                403, "origin-not-allowed");
    }

    @Test
    void privateEventsReachOnlySubscribersWhoseClaimCoversTheTopicLiveAndInHistory() {
        String topic = TopicNames.unique("private");
        String reader = token(claims("reader", List.of(), List.of(topic)));
        String outsider = token(claims("outsider", List.of(), List.of(TopicNames.unique("elsewhere"))));
        try (EventStreamClient anonymous = EventStreamClient.open("/api/topics/" + topic, EventStreamClient.Format.SSE);
             EventStreamClient other = EventStreamClient.open("/api/topics/" + topic + "?access_token=" + q(outsider),
                     EventStreamClient.Format.NDJSON);
             EventStreamClient allowed = EventStreamClient.open("/api/topics/" + topic + "?access_token=" + q(reader),
                     EventStreamClient.Format.NDJSON)) {
            HttpResponse<String> secret = HubServer.publishRaw(topic, "private=true", "{\"secret\":1}");
            assertEquals(200, secret.statusCode(), secret.body());
            assertEquals(1, HubServer.json(secret.body()).asJsonObject().getInt("delivered_to"));
            HubServer.Published open = HubServer.publish(topic, "{\"open\":1}");
            assertEquals(3, open.deliveredTo());

            assertEquals(open.id(), anonymous.nextMessage(Duration.ofSeconds(10)).id(), "the private event is skipped");
            assertEquals(open.id(), other.nextMessage(Duration.ofSeconds(10)).id(), "another topic's claim does not help");
            List<StreamMessage> seen = allowed.readThrough(open.id(), Duration.ofSeconds(10));
            assertEquals(List.of("{\"secret\":1}", "{\"open\":1}"),
                    seen.stream().filter(StreamMessage::isEvent).map(StreamMessage::data).toList());
        }
        String anonymousHistory = request("GET", "/api/topics/" + topic + "/history", null).body();
        assertFalse(anonymousHistory.contains("secret"), anonymousHistory);
        assertTrue(anonymousHistory.contains("open"), anonymousHistory);
        String readerHistory = request("GET", "/api/topics/" + topic + "/history", null, "Authorization", "Bearer " + reader).body();
        assertTrue(readerHistory.contains("secret"), readerHistory);
    }

    @Test
    void theTopicListNeedsATokenAndShowsOnlyTopicsItsClaimCovers() {
        String mine = TopicNames.unique("listed");
        String theirs = TopicNames.unique("unlisted");
        HubServer.publish(mine, "{}");
        HubServer.publish(theirs, "{}");
        assertProblem(request("GET", "/api/topics", null), 401, "token-required");
        String list = request("GET", "/api/topics", null, "Authorization", "Bearer " + token(claims("l", List.of(), List.of(mine)))).body();
        assertTrue(list.contains(mine), list);
        assertFalse(list.contains(theirs), list);
    }

    @Test
    void logsAreReadAndWrittenOnlyUnderClaimsForTheirServicesTopics() {
        String service = TopicNames.unique("svc");
        String other = TopicNames.unique("svc");
        String line = "{\"level\":\"info\",\"service\":\"%s\",\"message\":\"m\"}\n";
        assertProblem(request("POST", "/api/logs", line.formatted(service), "Content-Type", "application/x-ndjson"),
                401, "token-required");
        String writer = "Bearer " + token(claims("w", List.of("logs/" + service), List.of()));
        HttpResponse<String> ingested = request("POST", "/api/logs", line.formatted(service) + line.formatted(other),
                "Content-Type", "application/x-ndjson", "Authorization", writer);
        assertEquals(200, ingested.statusCode(), ingested.body());
        JsonObject result = HubServer.json(ingested.body()).asJsonObject();
        assertEquals(1, result.getInt("accepted"));
        assertEquals(2, result.getJsonArray("rejected").getJsonObject(0).getInt("line"));

        assertProblem(request("GET", "/api/logs?service=" + service, null), 401, "token-required");
        String reader = "Bearer " + token(claims("r", List.of(), List.of("logs/" + service)));
        assertProblem(request("GET", "/api/logs?service=" + other, null, "Authorization", reader), 403, "forbidden");
        assertProblem(request("GET", "/api/logs", null, "Authorization", reader), 403, "forbidden");
        HttpResponse<String> export = request("GET", "/api/logs?service=" + service, null, "Authorization", reader);
        assertEquals(200, export.statusCode(), export.body());
        assertEquals(1, export.body().lines().count(), export.body());
        // Live entries are private events: an anonymous subscriber of the topic sees none.
        assertFalse(request("GET", "/api/topics/logs/" + service + "/history", null).body().contains("\"m\""));
    }

    @Test
    void theChatHandshakeIsRefusedBeforeTheUpgradeAndATokensSubjectIsTheName() throws Exception {
        String room = HubServer.room("access");
        String path = "/ws/chat/" + room + "?name=mallory&access_token=";
        ServerProcess.RawResponse forged = RawWebSocket.refusedHandshake(HubServer.port(), null,
                path + q(Tokens.hs256("not-the-secret-but-just-as-long-as-it", Tokens.EVERYTHING)));
        assertEquals(401, forged.status(), forged.body());
        assertTrue(forged.body().contains("urn:rivulet:problem:invalid-token"), forged.body());

        ServerProcess.RawResponse unclaimed = RawWebSocket.refusedHandshake(HubServer.port(), null,
                path + q(token(claims("bob", List.of(), List.of("chat/" + room)))));
        assertEquals(403, unclaimed.status(), "subscribe alone does not let a member speak: " + unclaimed.body());
        assertTrue(unclaimed.body().contains("urn:rivulet:problem:forbidden"), unclaimed.body());

        String alice = token(claims("alice", List.of("chat/" + room), List.of("chat/" + room)));
        try (ChatClient<JsonObject> client = ChatClient.connect(path + q(alice))) {
            assertEquals("alice", expect(client, "presence").getString("you"), "the token's sub, not ?name=");
        }
    }

    @Test
    void aStreamAChatMemberAndALogTailEndWhenTheirTokenExpiresAndTheTokenIsThenRefused() throws Exception {
        // Expired 27 s ago: still inside the server's 30 s leeway, so it opens, and runs out in about 3 s.
        long exp = Instant.now().getEpochSecond() - 27;
        String brief = token("{\"sub\":\"brief\",\"exp\":" + exp + ",\"rivulet\":{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}}");
        String topic = TopicNames.unique("expiring");
        String room = HubServer.room("expiring");
        try (EventStreamClient stream = EventStreamClient.open("/api/topics/" + topic + "?access_token=" + q(brief),
                EventStreamClient.Format.NDJSON);
             LogStreamClient tail = LogStreamClient.open("/api/logs?follow=true&service=" + TopicNames.unique("svc"), 0,
                     "Authorization", "Bearer " + brief);
             ChatClient<JsonObject> member = ChatClient.connect("/ws/chat/" + room + "?access_token=" + q(brief))) {
            assertEquals(200, tail.status());
            expect(member, "presence");
            StreamMessage last = stream.nextMessage(Duration.ofSeconds(20));
            assertNull(last, "the stream ends instead of carrying on: " + last);
            Poll.until("the log tail to end", Duration.ofSeconds(20), () -> tail.nextEntry() == null, ended -> ended);
            assertEquals(1008, member.awaitClose());
        }
        assertProblem(request("GET", "/api/topics/" + topic + "/history?access_token=" + q(brief), null), 401, "invalid-token");
    }

    @Test
    void listedOriginsGetCorsAnswersAndOthersAreRefusedAtThePreflight() {
        HttpResponse<String> preflight = request("OPTIONS", "/api/topics/x", null, "Origin", LISTED_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type");
        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals(LISTED_ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));

        assertProblem(request("OPTIONS", "/api/topics/x", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), 403, "origin-not-allowed");

        HttpResponse<String> refused = request("POST", "/api/topics/x", "{}", "Origin", LISTED_ORIGIN,
                "Content-Type", "application/json");
        assertProblem(refused, 401, "token-required");
        assertEquals(LISTED_ORIGIN, refused.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "a refusal is readable by the page that asked");
        assertNull(request("GET", "/api/topics/x/history", null, "Origin", "https://evil.example")
                .headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }
}
