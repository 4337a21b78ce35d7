package dev.rivulet.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs tokens for tests, good and bad, the way an issuer would. */
public final class Tokens {

    /** The claims of a token that may do everything. */
    public static final String EVERYTHING = "{\"sub\":\"admin\",\"rivulet\":{\"publish\":[\"*\"],\"subscribe\":[\"*\"]}}";

    private Tokens() {
    }

    /** An HS256 token of {@code claims} (JSON) signed with {@code secret}. */
    public static String hs256(String secret, String claims) {
        return hmac("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A token with the given header, signed by HMAC-SHA256 with {@code key}, whatever the header says. */
    public static String hmac(String header, String claims, byte[] key) {
        String signed = part(header) + "." + part(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signed + "." + base64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RS256 or ES256 token signed with {@code key}. */
    public static String signed(String algorithm, PrivateKey key, String claims) {
        return sign("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}", key, claims);
    }

    /** An RS256 or ES256 token signed with {@code key} whose header names the key id {@code kid}, as an identity provider's do. */
    public static String signed(String algorithm, String kid, PrivateKey key, String claims) {
        return sign("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", key, claims);
    }

    /**
     * A token with the given header, signed with {@code key} by SHA256withRSA for an RSA key and
     * ECDSA P-256 (R and S side by side, as JWS has it) for an EC key, whatever the header says.
     */
    public static String sign(String header, PrivateKey key, String claims) {
        String signed = part(header) + "." + part(claims);
        try {
            Signature s = Signature.getInstance(key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}), which no hub may accept. */
    public static String unsigned(String claims) {
        return part("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + part(claims) + ".";
    }

    public static String part(String json) {
        return base64(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
