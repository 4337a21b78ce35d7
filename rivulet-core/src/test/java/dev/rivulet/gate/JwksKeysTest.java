package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.rivulet.testing.JwksServer;
import dev.rivulet.testing.Tokens;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An identity provider's JWK set served by a real HTTP server: two RSA keys and one EC key, chosen
 * by {@code kid}; rotation; a provider that goes away, answers nonsense or never answers; and the
 * forged tokens that a JWK set must not let through.
 */
class JwksKeysTest {

    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String CLAIMS = "{\"sub\":\"alice\",\"rivulet\":{\"publish\":[\"a\"]}}";

    private static KeyPair rsa1;
    private static KeyPair rsa2;
    private static KeyPair ec;

    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    private JwksServer server;
    private JwksKeys provider;

    @BeforeAll
    static void keys() throws Exception {
        rsa1 = TokenVerifierTest.rsa();
        rsa2 = TokenVerifierTest.rsa();
        ec = TokenVerifierTest.ec("secp256r1");
    }

    @BeforeEach
    void serve() {
        server = JwksServer.start();
        server.serve(rsa("rsa-1", rsa1), rsa("rsa-2", rsa2), ec("ec-1", ec));
        provider = new JwksKeys(server.uri(), REFRESH, clock);
    }

    @AfterEach
    void stop() {
        provider.close();
        server.close();
    }

    private static String rsa(String kid, KeyPair pair) {
        return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).build().toJSONString();
    }

    private static String ec(String kid, KeyPair pair) {
        return new ECKey.Builder(Curve.P_256, (ECPublicKey) pair.getPublic()).keyID(kid).build().toJSONString();
    }

    private TokenVerifier verifier(List<TokenKey> configured, ClaimRules rules) {
        return new TokenVerifier(configured, provider, rules, Duration.ofSeconds(30), clock);
    }

    private TokenVerifier verifier() {
        return verifier(List.of(), ClaimRules.DEFAULT);
    }

    private static String refusal(TokenVerifier verifier, String token) {
        return TokenVerifierTest.refusal(verifier, token);
    }

    @Test
    void eachKeyOfTheSetVerifiesTheTokensThatNameItsKid() {
        provider.fetch().join();
        TokenVerifier verifier = verifier();
        assertEquals("alice", verifier.verify(Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS)).subject());
        assertEquals("alice", verifier.verify(Tokens.signed("RS256", "rsa-2", rsa2.getPrivate(), CLAIMS)).subject());
        assertEquals("alice", verifier.verify(Tokens.signed("ES256", "ec-1", ec.getPrivate(), CLAIMS)).subject());
        assertEquals(1, server.fetches(), "known kids need no fetch");

        assertTrue(refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa2.getPrivate(), CLAIMS)).contains("signature"),
                "another key of the set under rsa-1's kid");
        refusal(verifier, Tokens.signed("RS256", rsa1.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.sign("{\"alg\":\"ES256\",\"kid\":\"rsa-1\"}", ec.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.sign("{\"alg\":\"RS256\",\"kid\":\"ec-1\"}", rsa1.getPrivate(), CLAIMS));
    }

    @Test
    void aNewKidFetchesTheSetAgainButUnknownKidsFetchAtMostOncePerInterval() {
        server.serve(rsa("rsa-1", rsa1));
        provider.fetch().join();
        TokenVerifier verifier = verifier();
        KeyPair next = rsa2;
        server.serve(rsa("rsa-1", rsa1), rsa("rsa-2", next));
        assertEquals("alice", verifier.verify(Tokens.signed("RS256", "rsa-2", next.getPrivate(), CLAIMS)).subject(),
                "the provider's new key is fetched for the first token that names it");
        assertEquals(2, server.fetches());

        for (int i = 0; i < 5; i++) {
            refusal(verifier, Tokens.signed("RS256", "forged-" + i, rsa1.getPrivate(), CLAIMS));
        }
        assertEquals(2, server.fetches(), "unknown kids within the interval fetch nothing");

        clock.advance(REFRESH.minusSeconds(1));
        refusal(verifier, Tokens.signed("RS256", "forged", rsa1.getPrivate(), CLAIMS));
        assertEquals(2, server.fetches());
        clock.advance(Duration.ofSeconds(1));
        refusal(verifier, Tokens.signed("RS256", "forged", rsa1.getPrivate(), CLAIMS));
        assertEquals(3, server.fetches(), "one interval later an unknown kid fetches again");
        refusal(verifier, Tokens.signed("RS256", "forged", rsa1.getPrivate(), CLAIMS));
        assertEquals(3, server.fetches());
    }

    @Test
    void aKeyTheProviderDropsStopsVerifyingAtTheNextFetch() {
        provider.fetch().join();
        TokenVerifier verifier = verifier();
        String old = Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS);
        assertTrue(verifier.verify(old).authenticated());

        server.serve(rsa("rsa-2", rsa2), ec("ec-1", ec));
        provider.fetch().join();
        assertTrue(refusal(verifier, old).contains("signature"));
        assertTrue(verifier.verify(Tokens.signed("ES256", "ec-1", ec.getPrivate(), CLAIMS)).authenticated());
        assertEquals(REFRESH, provider.nextFetchIn());
    }

    @Test
    void anUnreachableOrBrokenProviderLeavesTheLastGoodSetInUse() throws Exception {
        provider.fetch().join();
        TokenVerifier verifier = verifier();
        String token = Tokens.signed("ES256", "ec-1", ec.getPrivate(), CLAIMS);

        List<Runnable> breakages = new ArrayList<>();
        breakages.add(() -> server.answer(503, "{\"keys\":[]}"));
        breakages.add(() -> server.answer(200, "<html>maintenance</html>"));
        breakages.add(() -> server.serve());
        breakages.add(() -> server.serve(new OctetSequenceKey.Builder(new byte[32]).keyID("ec-1").build().toJSONString()));
        breakages.add(() -> server.answer(200, "{\"keys\":[],\"padding\":\"" + "x".repeat(JwksKeys.MAX_BYTES) + "\"}"));
        for (Runnable breakage : breakages) {
            breakage.run();
            assertThrows(CompletionException.class, () -> provider.fetch().join());
            assertTrue(verifier.verify(token).authenticated(), "the last good set stays");
            assertTrue(provider.problem().isEmpty(), "a set was loaded: ready");
            assertEquals(JwksKeys.RETRY_AFTER_FAILURE, provider.nextFetchIn(), "a failed fetch is retried sooner");
        }

        server.close();
        assertThrows(CompletionException.class, () -> provider.fetch().join());
        assertTrue(verifier.verify(token).authenticated());
        assertTrue(provider.loaded());
    }

    @Test
    void withNoSetEverLoadedTheProviderIsAProblemAndItsTokensAreRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed + JwksServer.PATH);
        try (JwksKeys unreachable = new JwksKeys(nowhere, REFRESH, clock)) {
            assertTrue(unreachable.problem().orElseThrow().contains("not fetched yet"));
            assertThrows(CompletionException.class, () -> unreachable.fetch().join());
            assertFalse(unreachable.loaded());
            String problem = unreachable.problem().orElseThrow();
            assertTrue(problem.startsWith("no key set loaded yet: cannot reach the provider"), problem);
            TokenVerifier verifier = new TokenVerifier(List.of(), unreachable, ClaimRules.DEFAULT, Duration.ZERO, clock);
            refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS));
        }
    }

    @Test
    void aProviderThatDoesNotAnswerHoldsATokenOnlyUntilTheFetchTimesOut() {
        server.hold();
        TokenVerifier verifier = verifier();
        refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS));
        assertTrue(provider.problem().orElseThrow().contains("no answer within " + JwksKeys.ANSWER_WITHIN.toMillis() + " ms"),
                provider.problem().orElseThrow());
        server.release();
        provider.fetch().join();
        assertTrue(verifier.verify(Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS)).authenticated());
    }

    @Test
    void theProvidersKeysStandBesideAConfiguredSecret() {
        provider.fetch().join();
        String secret = "a-test-secret-that-is-32-bytes-long!";
        TokenVerifier both = verifier(List.of(TokenKey.hmac(secret.getBytes(StandardCharsets.UTF_8))), ClaimRules.DEFAULT);
        assertTrue(both.verify(Tokens.hs256(secret, CLAIMS)).authenticated());
        assertTrue(both.verify(Tokens.signed("RS256", "rsa-2", rsa2.getPrivate(), CLAIMS)).authenticated());
        assertEquals(1, server.fetches(), "a token of the configured secret does not fetch, whatever its kid");
        assertTrue(both.verify(Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", CLAIMS, secret.getBytes(StandardCharsets.UTF_8)))
                .authenticated());
    }

    @Test
    void forgedTokensAreRefusedWhateverKidTheyName() throws Exception {
        provider.fetch().join();
        TokenVerifier verifier = verifier();
        KeyPair attacker = TokenVerifierTest.rsa();
        String attackerJwk = new RSAKey.Builder((RSAPublicKey) attacker.getPublic()).keyID("rsa-1").build().toString();

        refusal(verifier, Tokens.part("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + Tokens.part(CLAIMS) + ".");
        // Key confusion: HS256 keyed with the provider's public key, which anyone can fetch.
        assertTrue(refusal(verifier, Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", CLAIMS, rsa1.getPublic().getEncoded()))
                .contains("[ES256, RS256]"));
        refusal(verifier, Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", CLAIMS,
                rsa("rsa-1", rsa1).getBytes(StandardCharsets.UTF_8)));
        // The token's own key, or a set of the attacker's, is never trusted.
        refusal(verifier, Tokens.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":" + attackerJwk + "}", attacker.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"http://127.0.0.1:1/evil\"}",
                attacker.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", rsa1.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.sign("{\"alg\":\"RS384\",\"kid\":\"rsa-1\"}", rsa1.getPrivate(), CLAIMS));
        String valid = Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), CLAIMS);
        String[] parts = valid.split("\\.");
        refusal(verifier, parts[0] + "." + Tokens.part(Tokens.EVERYTHING) + "." + parts[2]);
        long now = clock.instant().getEpochSecond();
        assertTrue(refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), "{\"exp\":" + (now - 31) + "}"))
                .contains("expired"));
    }

    @Test
    void aSetsSymmetricEncryptionAndWeakKeysAreSkipped() throws Exception {
        java.security.KeyPairGenerator small = java.security.KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        KeyPair weak = small.generateKeyPair();
        KeyPair p384 = TokenVerifierTest.ec("secp384r1");
        server.serve(new OctetSequenceKey.Builder("a-secret-in-a-public-set-32-bytes!".getBytes(StandardCharsets.UTF_8))
                        .keyID("oct").build().toJSONString(),
                new RSAKey.Builder((RSAPublicKey) rsa1.getPublic()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build().toJSONString(),
                new RSAKey.Builder((RSAPublicKey) rsa1.getPublic()).keyID("ps").algorithm(JWSAlgorithm.PS256).build().toJSONString(),
                new RSAKey.Builder((RSAPublicKey) weak.getPublic()).keyID("weak").build().toJSONString(),
                new ECKey.Builder(Curve.P_384, (ECPublicKey) p384.getPublic()).keyID("p384").build().toJSONString(),
                rsa("rsa-2", rsa2));
        provider.fetch().join();
        assertEquals(List.of("rsa-2"), provider.keys().stream().map(TokenKey::keyId).toList());
        TokenVerifier verifier = verifier();
        refusal(verifier, Tokens.hmac("{\"alg\":\"HS256\",\"kid\":\"oct\"}", CLAIMS,
                "a-secret-in-a-public-set-32-bytes!".getBytes(StandardCharsets.UTF_8)));
        refusal(verifier, Tokens.signed("RS256", "enc", rsa1.getPrivate(), CLAIMS));
        refusal(verifier, Tokens.signed("RS256", "weak", weak.getPrivate(), CLAIMS));
        assertTrue(verifier.verify(Tokens.signed("RS256", "rsa-2", rsa2.getPrivate(), CLAIMS)).authenticated());
    }

    @Test
    void theIssuerAndAudienceOfAProvidersTokenAreChecked() {
        provider.fetch().join();
        String issuer = "https://sso.example.com/realms/demo";
        TokenVerifier verifier = verifier(List.of(), ClaimRules.of(ClaimRules.DEFAULT_CLAIMS_PATH, issuer, "rivulet"));
        String good = "{\"iss\":\"" + issuer + "\",\"aud\":[\"account\",\"rivulet\"],\"rivulet\":{\"publish\":[\"a\"]}}";
        assertTrue(verifier.verify(Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), good)).mayPublish("a"));
        assertTrue(verifier.verify(Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(),
                "{\"iss\":\"" + issuer + "\",\"aud\":\"rivulet\"}")).authenticated());
        for (String bad : List.of(
                "{\"iss\":\"https://sso.example.com/realms/other\",\"aud\":\"rivulet\"}",
                "{\"iss\":\"" + issuer + "/\",\"aud\":\"rivulet\"}",
                "{\"aud\":\"rivulet\"}",
                "{\"iss\":[\"" + issuer + "\"],\"aud\":\"rivulet\"}")) {
            assertTrue(refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), bad)).contains("issuer"), bad);
        }
        for (String bad : List.of(
                "{\"iss\":\"" + issuer + "\",\"aud\":\"account\"}",
                "{\"iss\":\"" + issuer + "\",\"aud\":[\"account\"]}",
                "{\"iss\":\"" + issuer + "\",\"aud\":\"Rivulet\"}",
                "{\"iss\":\"" + issuer + "\"}")) {
            assertTrue(refusal(verifier, Tokens.signed("RS256", "rsa-1", rsa1.getPrivate(), bad)).contains("audience"), bad);
        }
    }

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
