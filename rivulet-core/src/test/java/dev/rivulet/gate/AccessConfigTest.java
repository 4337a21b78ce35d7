package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessConfigTest {

    private static AccessConfig config(String secret, String previous, String publicKey) {
        return read(unread(secret, previous, publicKey));
    }

    /** A configuration with every key at its default but the keys given. */
    static AccessConfig unread(String secret, String previous, String publicKey) {
        AccessConfig c = new AccessConfig();
        c.secretValue = Optional.ofNullable(secret);
        c.previousSecretValue = Optional.ofNullable(previous);
        c.publicKeyValue = Optional.ofNullable(publicKey);
        c.jwksUriValue = Optional.empty();
        c.jwksRefreshValue = "PT5M";
        c.claimsPathValue = ClaimRules.DEFAULT_CLAIMS_PATH;
        c.issuerValue = Optional.empty();
        c.audienceValue = Optional.empty();
        c.cookieValue = "rivuletAuthorization";
        c.leewayValue = "PT30S";
        c.anonymousValue = "true";
        return c;
    }

    static AccessConfig read(AccessConfig c) {
        c.read();
        return c;
    }

    private static AccessConfig jwks(String uri) {
        AccessConfig c = unread(null, null, null);
        c.jwksUriValue = Optional.of(uri);
        return c;
    }

    private static String refusal(AccessConfig c) {
        return assertThrows(IllegalArgumentException.class, c::read).getMessage();
    }

    @Test
    void withNoKeyTheHubRunsOnTheDevelopmentSecretAndSaysSo() {
        AccessConfig c = config(null, null, null);
        assertTrue(c.usesDevelopmentSecret());
        assertEquals(List.of("HS256"), c.keys().stream().map(TokenKey::algorithm).toList());
        assertEquals(Duration.ofSeconds(30), c.leeway());
        assertTrue(c.anonymousSubscribe());
    }

    @Test
    void aSecretAndAPreviousSecretAreBothAcceptedDuringARotation() {
        AccessConfig c = config("a-production-secret-of-32-bytes-or-more", "the-previous-secret-of-32-bytes-or-more", null);
        assertFalse(c.usesDevelopmentSecret());
        assertEquals(2, c.keys().size());
    }

    @Test
    void aShortSecretStopsStartupWithoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("short-secret", null, null));
        assertTrue(e.getMessage().contains("rivulet.jwt.secret"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), "the secret is not shown: " + e.getMessage());
    }

    @Test
    void aSecretAndAPublicKeyTogetherStopStartup(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("keys.pem");
        Files.writeString(pem, TokenVerifierTest.pem(TokenVerifierTest.ec("secp256r1").getPublic().getEncoded()));
        assertEquals(List.of("ES256"), config(null, null, pem.toString()).keys().stream().map(TokenKey::algorithm).toList());
        assertThrows(IllegalArgumentException.class,
                () -> config("a-production-secret-of-32-bytes-or-more", null, pem.toString()));
        assertThrows(IllegalArgumentException.class, () -> config(null, null, dir.resolve("missing.pem").toString()));
    }

    @Test
    void aJwkSetAloneReplacesTheDevelopmentSecretAndMayStandBesideASecret() {
        AccessConfig alone = read(jwks("https://sso.example.com/realms/demo/protocol/openid-connect/certs"));
        assertFalse(alone.usesDevelopmentSecret());
        assertEquals(List.of(), alone.keys(), "no development secret beside the provider's keys");
        assertEquals("sso.example.com", alone.jwksUri().orElseThrow().getHost());
        assertEquals(Duration.ofMinutes(5), alone.jwksRefresh());

        AccessConfig both = jwks("http://localhost:8180/certs");
        both.secretValue = Optional.of("a-production-secret-of-32-bytes-or-more");
        read(both);
        assertEquals(List.of("HS256"), both.keys().stream().map(TokenKey::algorithm).toList());
        assertTrue(both.jwksUri().isPresent());
    }

    @Test
    void aJwksUriThatIsNotAnHttpUrlStopsStartup() {
        for (String bad : List.of("file:///etc/keys.json", "sso.example.com/certs", "https:///certs", "ftp://sso.example.com/certs",
                "https://sso example.com/certs")) {
            assertTrue(refusal(jwks(bad)).contains("rivulet.jwt.jwks-uri"), bad);
        }
    }

    @Test
    void theRefreshIntervalIsFromOneSecondToOneDay() {
        for (String ok : List.of("PT1S", "P1D")) {
            AccessConfig c = jwks("https://sso.example.com/certs");
            c.jwksRefreshValue = ok;
            assertEquals(Duration.parse(ok), read(c).jwksRefresh());
        }
        for (String bad : List.of("PT0.999S", "P1DT0.001S", "5 minutes", "-PT5M")) {
            AccessConfig c = jwks("https://sso.example.com/certs");
            c.jwksRefreshValue = bad;
            assertTrue(refusal(c).contains("rivulet.jwt.jwks-refresh"), bad);
        }
    }

    @Test
    void aClaimsPathThatCannotBeReadStopsStartup() {
        for (String ok : List.of("rivulet", "realm_access.rivulet", "\"https://rivulet.dev/claims\"",
                "\"https://rivulet.dev/claims\".access , rivulet")) {
            AccessConfig c = unread(null, null, null);
            c.claimsPathValue = ok;
            read(c);
        }
        for (String bad : List.of("a..b", ".a", "a.", ",", "rivulet,", "\"https://rivulet.dev/claims", "a\"b\"",
                "\"a\"b", "\"\"", "a\tb")) {
            AccessConfig c = unread(null, null, null);
            c.claimsPathValue = bad;
            assertTrue(refusal(c).contains("rivulet.jwt.claims-path"), bad);
        }
    }

    @Test
    void anIssuerOrAudienceIsOneWordOfAtMost2048Characters() {
        AccessConfig c = unread(null, null, null);
        c.issuerValue = Optional.of(" https://sso.example.com/realms/demo ");
        c.audienceValue = Optional.of("a".repeat(AccessConfig.MAX_CLAIM_VALUE));
        read(c);
        for (String bad : List.of("two words", "a".repeat(AccessConfig.MAX_CLAIM_VALUE + 1), "  ")) {
            AccessConfig issuer = unread(null, null, null);
            issuer.issuerValue = Optional.of(bad);
            assertTrue(refusal(issuer).contains("rivulet.jwt.issuer"), bad);
            AccessConfig audience = unread(null, null, null);
            audience.audienceValue = Optional.of(bad);
            assertTrue(refusal(audience).contains("rivulet.jwt.audience"), bad);
        }
    }
}
