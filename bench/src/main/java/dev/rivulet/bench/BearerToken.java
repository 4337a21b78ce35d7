package dev.rivulet.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HS256 JWT every request to Rivulet carries, signed here with the hub's shared secret, so the
 * benchmark keeps working once the hub checks who publishes and subscribes.
 */
final class BearerToken {

    static final String DEFAULT_SECRET = "!ChangeThisRivuletDevelopmentSecret!";
    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    private static final String CLAIMS = "{\"sub\":\"bench\",\"rivulet\":{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}}";

    private BearerToken() {
    }

    static String sign(String secret) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(CLAIMS.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return unsigned + "." + b64.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
