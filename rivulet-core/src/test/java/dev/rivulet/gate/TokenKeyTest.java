package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenKeyTest {

    @Test
    void anHmacSecretShorterThan32BytesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TokenKey.hmac(new byte[31]));
        assertEquals("HS256", TokenKey.hmac(new byte[32]).algorithm());
    }

    @Test
    void eachPublicKeyIsBoundToItsOneAlgorithm() throws Exception {
        List<TokenKey> keys = TokenKey.publicKeys(TokenVerifierTest.pem(TokenVerifierTest.rsa().getPublic().getEncoded())
                + TokenVerifierTest.pem(TokenVerifierTest.ec("secp256r1").getPublic().getEncoded()));
        assertEquals(List.of("RS256", "ES256"), keys.stream().map(TokenKey::algorithm).toList());
    }

    @Test
    void weakOrUnexpectedPublicKeysAreRefused() throws Exception {
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        assertThrows(IllegalArgumentException.class,
                () -> TokenKey.publicKeys(TokenVerifierTest.pem(small.generateKeyPair().getPublic().getEncoded())));
        assertThrows(IllegalArgumentException.class,
                () -> TokenKey.publicKeys(TokenVerifierTest.pem(TokenVerifierTest.ec("secp384r1").getPublic().getEncoded())));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.publicKeys("no key here"));
    }
}
