package dev.rivulet.it.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.it.TopicNames;
import dev.rivulet.testing.JwksServer;
import dev.rivulet.testing.Poll;
import dev.rivulet.testing.Tokens;
import jakarta.json.JsonObject;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A hub that trusts an identity provider's JWK set beside its own publishers' secret, as one
 * connected to Keycloak does: the provider's certs endpoint is served by this test, the access
 * claim sits at a namespaced claim, and tokens must name the hub as their audience. It runs as a
 * server of its own, which starts while the provider is down (so the tests run in order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderTokenIT {

    private static final String SECRET = "the-hubs-own-publishers-secret-32-bytes";
    private static final String CLAIM = "https://rivulet.dev/claims";

    private static final KeyPair first = rsa();
    private static final KeyPair second = rsa();
    private static JwksServer provider;
    private static ServerProcess server;

    @BeforeAll
    static void start() {
        provider = JwksServer.start();
        provider.answer(503, "{\"keys\":[]}");
        server = ServerProcess.liberty("rivulet-provider", Map.of(
                "RIVULET_JWT_JWKS_URI", provider.uri().toString(),
                "RIVULET_JWT_JWKS_REFRESH", "PT1S",
                "RIVULET_JWT_SECRET", SECRET,
                "RIVULET_JWT_CLAIMS_PATH", "\"" + CLAIM + "\",rivulet",
                "RIVULET_JWT_AUDIENCE", "rivulet"));
        Poll.until("the hub to start", Duration.ofMinutes(2), ProviderTokenIT::started, s -> s == 200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private static int started() {
        try {
            return server.get("/health/started").statusCode();
        } catch (UncheckedIOException notListeningYet) {
            return -1;
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwk(String kid, KeyPair pair) {
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).build().toJSONString();
    }

    private static String providerClaims(String topic) {
        return "{\"sub\":\"alice\",\"aud\":[\"account\",\"rivulet\"],\"" + CLAIM + "\":{\"publish\":[\"" + topic + "\"]}}";
    }

    private static HttpResponse<String> publish(String topic, String token) {
        return server.post("/api/topics/" + topic, "application/json", "{\"n\":1}", "Authorization", "Bearer " + token);
    }

    private static JsonObject ready() {
        HttpResponse<String> r = server.get("/health/ready");
        return HubServer.json(r.body()).asJsonObject().getJsonArray("checks").getJsonObject(0).getJsonObject("data");
    }

    private static void assertInvalid(HttpResponse<String> r, String token) {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertTrue(r.body().contains("urn:rivulet:problem:invalid-token"), r.body());
        assertFalse(r.body().contains(token), "the token is not echoed");
    }

    @Test
    @Order(1)
    void theProvidersKeysAreLoadedRotatedAndKeptWhileItIsDownBesideTheHubsOwnSecret() {
        // Started while the provider answers 503: not ready, and the readiness data says why.
        assertEquals(503, server.get("/health/ready").statusCode());
        assertTrue(ready().getString("jwks").startsWith("DOWN: no key set loaded yet"), ready().toString());

        provider.serve(jwk("k1", first));
        server.awaitReady(Duration.ofSeconds(30));
        assertEquals("UP", ready().getString("jwks"));

        String topic = TopicNames.unique("provider");
        String k1 = Tokens.signed("RS256", "k1", first.getPrivate(), providerClaims(topic));
        assertEquals(200, publish(topic, k1).statusCode(), "the provider's token, its claim at " + CLAIM);
        String own = Tokens.hs256(SECRET, "{\"sub\":\"backend\",\"aud\":\"rivulet\",\"rivulet\":{\"publish\":[\"" + topic + "\"]}}");
        assertEquals(200, publish(topic, own).statusCode(), "the hub's own publishers' secret still counts");
        assertEquals(403, publish(TopicNames.unique("elsewhere"), k1).statusCode(), "the claim covers one topic");

        String otherAudience = Tokens.signed("RS256", "k1", first.getPrivate(),
                "{\"aud\":\"account\",\"" + CLAIM + "\":{\"publish\":[\"" + topic + "\"]}}");
        assertInvalid(publish(topic, otherAudience), otherAudience);

        // Rotation: a new key is fetched for the first token that names it; the old one goes with the next fetch.
        provider.serve(jwk("k1", first), jwk("k2", second));
        String k2 = Tokens.signed("RS256", "k2", second.getPrivate(), providerClaims(topic));
        assertEquals(200, publish(topic, k2).statusCode());
        provider.serve(jwk("k2", second));
        Poll.until("k1 to be dropped", Duration.ofSeconds(30), () -> publish(topic, k1).statusCode(), s -> s == 401);
        assertInvalid(publish(topic, k1), k1);

        // The provider goes away: its last keys stay in use, and the node stays ready.
        provider.answer(500, "oops");
        server.awaitOutput("the provider answered HTTP 500", Duration.ofSeconds(30));
        assertEquals(200, publish(topic, k2).statusCode());
        assertEquals(200, server.get("/health/ready").statusCode());
    }

    @Test
    @Order(2)
    void forgedTokensNamingTheProvidersKidAreRefused() {
        provider.serve(jwk("k1", first), jwk("k2", second));
        server.awaitReady(Duration.ofSeconds(30));
        String topic = TopicNames.unique("forged");
        KeyPair attacker = rsa();
        for (String forged : new String[] {
                Tokens.part("{\"alg\":\"none\",\"kid\":\"k1\"}") + "." + Tokens.part(providerClaims(topic)) + ".",
                Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"k1\"}", providerClaims(topic), first.getPublic().getEncoded()),
                Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"k1\"}", providerClaims(topic),
                        jwk("k1", first).getBytes(StandardCharsets.UTF_8)),
                Tokens.sign("{\"alg\":\"RS256\",\"kid\":\"k1\",\"jwk\":" + jwk("k1", attacker) + "}", attacker.getPrivate(),
                        providerClaims(topic)),
                Tokens.signed("RS256", "k9", attacker.getPrivate(), providerClaims(topic)),
                Tokens.signed("RS256", "k1", second.getPrivate(), providerClaims(topic)),
                Tokens.signed("RS256", "k1", first.getPrivate(), "{\"exp\":1,\"aud\":\"rivulet\",\"" + CLAIM
                        + "\":{\"publish\":[\"*\"]}}")}) {
            assertInvalid(publish(topic, forged), forged);
        }
    }
}
