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
        AccessConfig c = new AccessConfig();
        c.secretValue = Optional.ofNullable(secret);
        c.previousSecretValue = Optional.ofNullable(previous);
        c.publicKeyValue = Optional.ofNullable(publicKey);
        c.cookieValue = "rivuletAuthorization";
        c.leewayValue = "PT30S";
        c.anonymousValue = "true";
        c.read();
        return c;
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
}
