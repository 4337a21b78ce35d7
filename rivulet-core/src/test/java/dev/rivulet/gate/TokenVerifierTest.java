package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.TopicSelector;
import dev.rivulet.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "a-test-secret-that-is-32-bytes-long!";
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final long NOW_S = NOW.getEpochSecond();

    private final TokenVerifier hs256 = verifier(List.of(TokenKey.hmac(SECRET.getBytes(StandardCharsets.UTF_8))));

    private static TokenVerifier verifier(List<TokenKey> keys) {
        return new TokenVerifier(keys, Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static String refusal(TokenVerifier verifier, String token) {
        AccessDenied e = assertThrows(AccessDenied.class, () -> verifier.verify(token));
        assertEquals(401, e.status());
        assertEquals("invalid-token", e.slug());
        return e.getMessage();
    }

    @Test
    void aValidTokenGivesItsSubjectAndSelectors() {
        Grant g = hs256.verify(Tokens.hs256(SECRET,
                "{\"sub\":\"alice\",\"rivulet\":{\"publish\":[\"news/{id}\"],\"subscribe\":[\"*\",\"a\"]}}"));
        assertTrue(g.authenticated());
        assertEquals("alice", g.subject());
        assertEquals(List.of(TopicSelector.parse("news/{id}")), g.publish());
        assertEquals(List.of(TopicSelector.parse("*"), TopicSelector.parse("a")), g.subscribe());
    }

    @Test
    void theMercureClaimIsReadWhenThereIsNoRivuletClaim() {
        Grant g = hs256.verify(Tokens.hs256(SECRET, "{\"mercure\":{\"publish\":[\"a\"]}}"));
        assertEquals(List.of(TopicSelector.parse("a")), g.publish());
        assertEquals(List.of(), g.subscribe());
        assertNull(g.subject());
    }

    @Test
    void theMercurePayloadIsKeptAsCompactJson() {
        Grant g = hs256.verify(Tokens.hs256(SECRET, "{\"mercure\":{\"subscribe\":[\"a\"],\"payload\":{ \"user\": \"x\" }}}"));
        assertEquals("{\"user\":\"x\"}", g.payload());
        assertNull(hs256.verify(Tokens.hs256(SECRET, "{\"mercure\":{}}")).payload());
    }

    @Test
    void aTokenWithoutClaimsIsAuthenticatedButMayDoNothing() {
        Grant g = hs256.verify(Tokens.hs256(SECRET, "{\"sub\":\"bob\"}"));
        assertTrue(g.authenticated());
        assertFalse(g.mayPublish("a"));
        assertFalse(g.mayRead("a"));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        String forged = Tokens.hs256("another-secret-that-is-32-bytes-long", Tokens.EVERYTHING);
        assertTrue(refusal(hs256, forged).contains("signature"));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = Tokens.hs256(SECRET, "{\"rivulet\":{\"publish\":[\"a\"]}}");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + Tokens.part(Tokens.EVERYTHING) + "." + parts[2];
        refusal(hs256, tampered);
    }

    @Test
    void algNoneIsRefusedWithOrWithoutASignature() {
        refusal(hs256, Tokens.unsigned(Tokens.EVERYTHING));
        refusal(hs256, Tokens.unsigned(Tokens.EVERYTHING) + "c2ln");
        refusal(hs256, Tokens.hmac("{\"alg\":\"none\"}", Tokens.EVERYTHING, SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anAlgorithmOtherThanTheKeysIsRefused() {
        String hs512 = Tokens.hmac("{\"alg\":\"HS512\"}", Tokens.EVERYTHING, SECRET.getBytes(StandardCharsets.UTF_8));
        assertTrue(refusal(hs256, hs512).contains("HS256"));
        refusal(hs256, Tokens.hmac("{\"typ\":\"JWT\"}", Tokens.EVERYTHING, SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anRsaPublicKeyIsNeverUsedAsAnHmacSecret() throws Exception {
        KeyPair rsa = rsa();
        TokenVerifier verifier = verifier(TokenKey.publicKeys(pem(rsa.getPublic().getEncoded())));
        // Key confusion: HS256 "signed" with the public key's bytes, which an attacker can read.
        String confused = Tokens.hmac("{\"alg\":\"HS256\"}", Tokens.EVERYTHING, pem(rsa.getPublic().getEncoded())
                .getBytes(StandardCharsets.US_ASCII));
        refusal(verifier, confused);
        String confusedDer = Tokens.hmac("{\"alg\":\"HS256\"}", Tokens.EVERYTHING, rsa.getPublic().getEncoded());
        refusal(verifier, confusedDer);
        assertTrue(verifier.verify(Tokens.signed("RS256", rsa.getPrivate(), Tokens.EVERYTHING)).authenticated());
    }

    @Test
    void rs256AndEs256TokensVerifyWithTheirPublicKeysAndNotWithOthers() throws Exception {
        KeyPair rsa = rsa();
        KeyPair ec = ec("secp256r1");
        TokenVerifier both = verifier(TokenKey.publicKeys(pem(rsa.getPublic().getEncoded()) + pem(ec.getPublic().getEncoded())));
        assertEquals("admin", both.verify(Tokens.signed("RS256", rsa.getPrivate(), Tokens.EVERYTHING)).subject());
        assertEquals("admin", both.verify(Tokens.signed("ES256", ec.getPrivate(), Tokens.EVERYTHING)).subject());

        TokenVerifier other = verifier(TokenKey.publicKeys(pem(rsa().getPublic().getEncoded())
                + pem(ec("secp256r1").getPublic().getEncoded())));
        refusal(other, Tokens.signed("RS256", rsa.getPrivate(), Tokens.EVERYTHING));
        refusal(other, Tokens.signed("ES256", ec.getPrivate(), Tokens.EVERYTHING));
    }

    @Test
    void aSignatureOfTheWrongShapeIsRefusedNotAnError() throws Exception {
        TokenVerifier verifier = verifier(TokenKey.publicKeys(pem(ec("secp256r1").getPublic().getEncoded())));
        String token = Tokens.signed("ES256", ec("secp256r1").getPrivate(), Tokens.EVERYTHING);
        String cut = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        refusal(verifier, cut);
    }

    @Test
    void expiryAndNotBeforeHoldWithinTheLeeway() {
        assertTrue(hs256.verify(Tokens.hs256(SECRET, "{\"exp\":" + (NOW_S - 29) + "}")).authenticated());
        assertTrue(refusal(hs256, Tokens.hs256(SECRET, "{\"exp\":" + (NOW_S - 31) + "}")).contains("expired"));
        assertTrue(hs256.verify(Tokens.hs256(SECRET, "{\"nbf\":" + (NOW_S + 29) + "}")).authenticated());
        assertTrue(refusal(hs256, Tokens.hs256(SECRET, "{\"nbf\":" + (NOW_S + 31) + "}")).contains("not valid yet"));
        assertTrue(hs256.verify(Tokens.hs256(SECRET, "{\"exp\":1e999999999}")).authenticated(), "far future");
        refusal(hs256, Tokens.hs256(SECRET, "{\"exp\":\"tomorrow\"}"));
    }

    @Test
    void aGrantExpiresAtTheTokensExpiryPlusTheLeewayAndWithoutExpNever() {
        Grant g = hs256.verify(Tokens.hs256(SECRET, "{\"exp\":" + (NOW_S + 60) + "}"));
        assertEquals(NOW.plusSeconds(90), g.expires());
        assertFalse(g.expiredAt(NOW.plusSeconds(90)));
        assertTrue(g.expiredAt(NOW.plusSeconds(91)));
        assertNull(hs256.verify(Tokens.hs256(SECRET, "{}")).expires());
        assertNull(hs256.verify(Tokens.hs256(SECRET, "{\"exp\":1e999999999}")).expires());
        assertFalse(Grant.ANONYMOUS.expiredAt(Instant.MAX));
    }

    @Test
    void malformedTokensAreRefusedWithoutEchoingThem() {
        for (String bad : List.of("", "abc", "a.b", "a.b.c.d", "!!!.###.$$$", Tokens.part("[1]") + ".e30.",
                Tokens.part("{\"alg\":\"HS256\"") + ".e30.")) {
            String message = refusal(hs256, bad);
            if (!bad.isEmpty()) {
                assertFalse(message.contains(bad), message);
            }
        }
        refusal(hs256, "a".repeat(TokenVerifier.MAX_LENGTH + 1));
    }

    @Test
    void claimsOfTheWrongShapeAreRefused() {
        refusal(hs256, Tokens.hs256(SECRET, "{\"rivulet\":[\"*\"]}"));
        refusal(hs256, Tokens.hs256(SECRET, "{\"rivulet\":{\"publish\":\"*\"}}"));
        refusal(hs256, Tokens.hs256(SECRET, "{\"rivulet\":{\"publish\":[1]}}"));
        refusal(hs256, Tokens.hs256(SECRET, "{\"rivulet\":{\"publish\":[\"a\\nb\"]}}"));
        refusal(hs256, Tokens.hs256(SECRET, "{\"sub\":7}"));
        refusal(hs256, Tokens.hs256(SECRET, "[]"));
    }

    @Test
    void criticalHeaderExtensionsAreRefused() {
        refusal(hs256, Tokens.hmac("{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", Tokens.EVERYTHING,
                SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theRetiringSecretStillVerifiesDuringARotation() {
        String next = "the-next-secret-that-is-32-bytes-long";
        TokenVerifier rotating = verifier(List.of(TokenKey.hmac(next.getBytes(StandardCharsets.UTF_8)),
                TokenKey.hmac(SECRET.getBytes(StandardCharsets.UTF_8))));
        assertTrue(rotating.verify(Tokens.hs256(SECRET, "{}")).authenticated());
        assertTrue(rotating.verify(Tokens.hs256(next, "{}")).authenticated());
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    static String pem(byte[] der) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static TokenVerifier claimsAt(String path) {
        return new TokenVerifier(List.of(TokenKey.hmac(SECRET.getBytes(StandardCharsets.UTF_8))), null,
                ClaimRules.of(path, null, null), Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void theAccessClaimIsFoundWhereTheClaimsPathSays() {
        String access = "{\"publish\":[\"a\"],\"subscribe\":[\"b\"]}";
        Grant nested = claimsAt("realm_access.rivulet").verify(Tokens.hs256(SECRET,
                "{\"realm_access\":{\"roles\":[\"user\"],\"rivulet\":" + access + "},\"rivulet\":{\"publish\":[\"*\"]}}"));
        assertEquals(List.of(TopicSelector.parse("a")), nested.publish(), "only the configured path counts");
        assertEquals(List.of(TopicSelector.parse("b")), nested.subscribe());

        Grant namespaced = claimsAt("\"https://rivulet.dev/claims\"").verify(Tokens.hs256(SECRET,
                "{\"https://rivulet.dev/claims\":" + access + ",\"https://rivulet\":{\"dev/claims\":{\"publish\":[\"*\"]}}}"));
        assertEquals(List.of(TopicSelector.parse("a")), namespaced.publish());

        TokenVerifier inside = claimsAt("\"https://rivulet.dev/claims\".access, rivulet");
        assertEquals(List.of(TopicSelector.parse("a")),
                inside.verify(Tokens.hs256(SECRET, "{\"https://rivulet.dev/claims\":{\"access\":" + access + "}}")).publish());
        assertEquals(List.of(TopicSelector.parse("z")),
                inside.verify(Tokens.hs256(SECRET, "{\"rivulet\":{\"publish\":[\"z\"]}}")).publish(), "the second path");
    }

    @Test
    void aClaimsPathThatIsAbsentOrNullGrantsNothingAndOneOfTheWrongShapeIsRefused() {
        TokenVerifier nested = claimsAt("realm_access.rivulet");
        for (String nothing : List.of("{}", "{\"realm_access\":null}", "{\"realm_access\":{}}",
                "{\"realm_access\":{\"rivulet\":null}}", "{\"rivulet\":{\"publish\":[\"*\"]}}")) {
            Grant g = nested.verify(Tokens.hs256(SECRET, nothing));
            assertTrue(g.authenticated(), nothing);
            assertFalse(g.mayPublish("a"), nothing);
        }
        assertTrue(refusal(nested, Tokens.hs256(SECRET, "{\"realm_access\":[\"rivulet\"]}")).contains("realm_access claim"));
        assertTrue(refusal(nested, Tokens.hs256(SECRET, "{\"realm_access\":{\"rivulet\":\"*\"}}"))
                .contains("realm_access.rivulet claim"));
        assertTrue(refusal(nested, Tokens.hs256(SECRET, "{\"realm_access\":{\"rivulet\":{\"publish\":\"*\"}}}"))
                .contains("realm_access.rivulet.publish"));
        // A rivulet claim that is null is the token's access claim: mercure is not read then, as before.
        assertFalse(hs256.verify(Tokens.hs256(SECRET, "{\"rivulet\":null,\"mercure\":{\"publish\":[\"a\"]}}")).mayPublish("a"));
    }

    @Test
    void issuerAndAudienceHoldForEveryTokenWhicheverKeySignedIt() {
        TokenVerifier checked = new TokenVerifier(List.of(TokenKey.hmac(SECRET.getBytes(StandardCharsets.UTF_8))), null,
                ClaimRules.of(ClaimRules.DEFAULT_CLAIMS_PATH, "https://issuer.example", "rivulet"), Duration.ofSeconds(30),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(checked.verify(Tokens.hs256(SECRET, "{\"iss\":\"https://issuer.example\",\"aud\":\"rivulet\"}")).authenticated());
        assertTrue(refusal(checked, Tokens.hs256(SECRET, "{\"aud\":\"rivulet\"}")).contains("issuer"));
        assertTrue(refusal(checked, Tokens.hs256(SECRET, "{\"iss\":\"https://issuer.example\"}")).contains("audience"));
        assertTrue(hs256.verify(Tokens.hs256(SECRET, "{\"iss\":\"anyone\",\"aud\":7}")).authenticated(), "unchecked unless configured");
    }

    @Test
    void aHeaderThatIsNotJsonOrNestedTooDeepIsRefusedNotAnError() {
        String deep = "{\"alg\":\"HS256\",\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
        refusal(hs256, Tokens.hmac(deep, "{}", SECRET.getBytes(StandardCharsets.UTF_8)));
        String deepPayload = "{\"x\":" + "[".repeat(1500) + "]".repeat(1500) + "}";
        refusal(hs256, Tokens.hs256(SECRET, deepPayload));
        refusal(hs256, Tokens.hmac("{\"alg\":\"HS256\",\"b64\":false}", "{}", SECRET.getBytes(StandardCharsets.UTF_8)));
    }
}
