package dev.rivulet.it.access;

import static dev.rivulet.it.HubServer.assertProblem;
import static dev.rivulet.it.HubServer.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.testing.Tokens;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of refusal, from every filter, servlet and resource that refuses, is a problem
 * document and moves {@code rivulet_requests_rejected_total} for its reason by exactly one: the
 * refusals go one way, and that way counts them.
 */
class RejectedRequestsIT {

    private static final String READER = "Bearer " + Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET,
            "{\"sub\":\"reader\",\"rivulet\":{\"subscribe\":[\"only/this\"]}}");

    private static Arguments refusal(String where, int status, String slug, Supplier<HttpResponse<String>> request) {
        return Arguments.of(where, status, slug, request);
    }

    static Stream<Arguments> refusals() {
        String topic = TopicNames.unique("refused");
        return Stream.of(
                // the access filter
                refusal("a preflight from an origin not listed", 403, "origin-not-allowed",
                        () -> request("OPTIONS", "/api/topics/" + topic, null, "Origin", "https://evil.example",
                                "Access-Control-Request-Method", "POST")),
                refusal("a token that does not verify", 401, "invalid-token",
                        () -> request("GET", "/api/topics", null, "Authorization", "Bearer not.a.token")),
                refusal("more query parameters than any request needs", 400, "too-many-parameters",
                        () -> request("GET", "/api/topics/" + topic + "?" + "a=1&".repeat(1001), null)),
                // the subscribe filter
                refusal("a subscription that names no topic", 400, "invalid-selector",
                        () -> request("GET", "/api/subscribe", null)),
                // the log stream filter
                refusal("a log query with an unknown level", 400, "invalid-level",
                        () -> request("GET", "/api/logs?level=loud", null, "Authorization", HubServer.AUTHORIZATION)),
                refusal("a log query without a token", 401, "token-required",
                        () -> request("GET", "/api/logs?service=x", null)),
                refusal("a log query beyond the token's claims", 403, "forbidden",
                        () -> request("GET", "/api/logs?service=x", null, "Authorization", READER)),
                // the log ingest resource
                refusal("log lines that are not NDJSON", 415, "unsupported-media-type",
                        () -> request("POST", "/api/logs", "hello", "Content-Type", "text/plain",
                                "Authorization", HubServer.AUTHORIZATION)),
                refusal("log lines in a coding the hub cannot read", 415, "unsupported-encoding",
                        () -> request("POST", "/api/logs", "{}", "Content-Type", "application/x-ndjson",
                                "Content-Encoding", "br", "Authorization", HubServer.AUTHORIZATION)),
                // the publish resource (JAX-RS, through the exception mapper)
                refusal("a publish that is not JSON", 400, "invalid-json",
                        () -> HubServer.post("/api/topics/" + topic, "application/json", "{\"a\":")),
                refusal("a publish nested deeper than JSON may nest", 400, "invalid-json",
                        () -> HubServer.post("/api/topics/" + topic, "application/json",
                                "[".repeat(20_000) + "]".repeat(20_000))),
                refusal("a publish without a token", 401, "token-required",
                        () -> request("POST", "/api/topics/" + topic, "{}", "Content-Type", "application/json")),
                // the error page servlet
                refusal("a path with nothing there", 404, "not-found", () -> request("GET", "/api/nothing-here", null)),
                // the operations resource
                refusal("a drain on a hub with no drain token", 403, "drain-disabled",
                        () -> request("POST", "/api/ops/drain", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusalIsAProblemAndCountedOnce(String where, int status, String slug,
                                             Supplier<HttpResponse<String>> request) {
        double before = rejected(slug);
        assertProblem(request.get(), status, slug);
        assertEquals(before + 1, rejected(slug), where + " moves rivulet_requests_rejected_total{reason=" + slug + "} by one");
    }

    @ParameterizedTest(name = "a chat handshake refused for {0}")
    @MethodSource("chatRefusals")
    void aRefusedChatHandshakeIsAProblemAndCountedOnce(String why, String query, int status, String slug)
            throws IOException {
        double before = rejected(slug);
        ServerProcess.RawResponse answer = RawWebSocket.refusedHandshake(HubServer.port(), null,
                "/ws/chat/" + HubServer.room("refused") + query);
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.body().contains("urn:rivulet:problem:" + slug), answer.body());
        assertEquals(before + 1, rejected(slug));
    }

    static Stream<Arguments> chatRefusals() {
        return Stream.of(
                Arguments.of("a forged token", "?name=m&access_token=not.a.token", 401, "invalid-token"),
                Arguments.of("a token that may not speak", "?access_token="
                        + READER.substring("Bearer ".length()), 403, "forbidden"));
    }

    private static double rejected(String reason) {
        return HubServer.counter(HubServer.metrics(), "rivulet_requests_rejected_total", "reason", reason);
    }
}
