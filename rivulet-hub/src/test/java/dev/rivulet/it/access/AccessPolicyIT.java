package dev.rivulet.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.it.topics.EventStreamClient;
import dev.rivulet.testing.Tokens;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hub locked down the way a production one is: tokens verified with an ES256 public key from a
 * PEM file, no anonymous subscribers and no anonymous chat. It runs as a server of its own.
 */
class AccessPolicyIT {

    private static final HttpClient HTTP = HubServer.HTTP;
    private static KeyPair issuer;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        issuer = g.generateKeyPair();
        Path pem = Path.of(System.getProperty("it.build.dir"), "it-servers", "access-policy-keys.pem");
        Files.createDirectories(pem.getParent());
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(issuer.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        server = ServerProcess.liberty("rivulet-access", Map.of(
                "RIVULET_JWT_PUBLIC_KEY", pem.toString(),
                "RIVULET_SUBSCRIBE_ANONYMOUS", "false",
                "RIVULET_CHAT_ANONYMOUS", "false"));
        server.awaitReady(Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String es256(String claims) {
        return Tokens.signed("ES256", issuer.getPrivate(), claims);
    }

    private static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                .timeout(HubServer.REQUEST_TIMEOUT)
                .header("Accept", "application/x-ndjson");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            // A stream that opens answers 200 with its first line at once; the status and head are enough.
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void assertType(HttpResponse<String> r, int status, String slug) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"urn:rivulet:problem:" + slug + "\""), r.body());
    }

    @Test
    void withoutAnonymousSubscribersEveryStreamNeedsATokenCoveringWhatItAsks() {
        String a = TopicNames.unique("locked");
        assertType(get("/api/topics/" + a, null), 401, "token-required");
        assertType(get("/api/topics/" + a + "/history", null), 401, "token-required");
        String reader = es256("{\"sub\":\"r\",\"rivulet\":{\"subscribe\":[\"" + a + "\"]}}");
        assertType(get("/api/subscribe?topic=" + a + "&topic=" + TopicNames.unique("other"), reader), 403, "forbidden");
        assertEquals(200, get("/api/topics/" + a + "/history", reader).statusCode());
        try (EventStreamClient stream = EventStreamClient.open(server.port(), null,
                "/api/topics/" + a + "?access_token=" + URLEncoder.encode(reader, StandardCharsets.UTF_8),
                EventStreamClient.Format.NDJSON, null)) {
            HttpResponse<String> published = publish(a, es256("{\"rivulet\":{\"publish\":[\"" + a + "\"]}}"));
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("{\"n\":1}", stream.nextMessage(Duration.ofSeconds(10)).data());
        }
    }

    @Test
    void onlyTheConfiguredKeysAlgorithmIsAccepted() {
        String hs256 = Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, Tokens.EVERYTHING);
        HttpResponse<String> refused = publish(TopicNames.unique("hs"), hs256);
        assertType(refused, 401, "invalid-token");
        assertTrue(refused.body().contains("ES256"), "the answer says which algorithm is accepted: " + refused.body());
        assertFalse(server.output().contains("development secret"), "no development-secret warning with a key set");
    }

    @Test
    void anonymousChatIsRefusedBeforeTheUpgrade() throws IOException {
        ServerProcess.RawResponse refused = RawWebSocket.refusedHandshake(server.port(), null, "/ws/chat/locked?name=eve");
        assertEquals(401, refused.status(), refused.body());
        assertTrue(refused.body().contains("urn:rivulet:problem:token-required"), refused.body());
    }

    private static HttpResponse<String> publish(String topic, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/api/topics/" + topic))
                .timeout(HubServer.REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}"))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("publish failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
