package dev.rivulet.gate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key a token's signature may be checked with, bound to the one algorithm it is for: an HMAC
 * secret to HS256, an RSA public key to RS256, a P-256 public key to ES256. A token names its
 * algorithm, and only keys of exactly that algorithm are tried, so an RSA public key is never
 * used as an HMAC secret (key confusion) and {@code none} matches no key at all. The signature
 * itself is checked by nimbus-jose-jwt's verifier for that algorithm (constant-time for HMAC).
 * A key from an identity provider's JWK set also has its {@code kid}, by which tokens choose it.
 */
public final class TokenKey {

    /** HS256 needs a secret at least as long as its hash (RFC 7518, section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    static final int MIN_RSA_BITS = 2048;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private final JWSAlgorithm algorithm;
    private final String keyId;
    private final JWSVerifier verifier;

    private TokenKey(JWSAlgorithm algorithm, String keyId, JWSVerifier verifier) {
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.verifier = verifier;
    }

    /** The JWS {@code alg} this key checks: HS256, RS256 or ES256. */
    public String algorithm() {
        return algorithm.getName();
    }

    /** The {@code kid} a JWK set gave this key; null for a configured secret or PEM key, which any {@code kid} may use. */
    public String keyId() {
        return keyId;
    }

    /** True when {@code jws} names this key's algorithm and its signature is this key's. */
    boolean verifies(JWSObject jws) {
        if (!algorithm.equals(jws.getHeader().getAlgorithm())) {
            return false;
        }
        try {
            return verifier.verify(jws.getHeader(), jws.getSigningInput(), jws.getSignature());
        } catch (JOSEException malformed) {
            return false;
        }
    }

    /** An HS256 secret; refuses one shorter than {@value #MIN_SECRET_BYTES} bytes. */
    public static TokenKey hmac(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("an HS256 secret is at least " + MIN_SECRET_BYTES + " bytes");
        }
        try {
            return new TokenKey(JWSAlgorithm.HS256, null, new MACVerifier(secret.clone()));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("an HS256 secret that HMAC-SHA256 cannot use", e);
        }
    }

    /**
     * The public keys of a PEM text ({@code -----BEGIN PUBLIC KEY-----} blocks, X.509
     * SubjectPublicKeyInfo): RSA keys of at least 2048 bits for RS256, P-256 keys for ES256.
     * Several blocks give several keys, which is how a key is rotated.
     */
    public static List<TokenKey> publicKeys(String pem) {
        List<TokenKey> keys = new ArrayList<>();
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            keys.add(publicKey(der));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no -----BEGIN PUBLIC KEY----- block");
        }
        return keys;
    }

    private static TokenKey publicKey(byte[] der) {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        PublicKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePublic(spec);
        } catch (GeneralSecurityException notRsa) {
            try {
                key = KeyFactory.getInstance("EC").generatePublic(spec);
            } catch (GeneralSecurityException notEc) {
                throw new IllegalArgumentException("a public key is neither RSA nor EC");
            }
        }
        return key instanceof RSAPublicKey rsa ? rs256(rsa, null) : es256((ECPublicKey) key, null);
    }

    private static TokenKey rs256(RSAPublicKey key, String keyId) {
        if (key.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("an RS256 key has at least " + MIN_RSA_BITS + " bits");
        }
        return new TokenKey(JWSAlgorithm.RS256, keyId, new RSASSAVerifier(key));
    }

    private static TokenKey es256(ECPublicKey key, String keyId) {
        if (!Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
            throw new IllegalArgumentException("an ES256 key is on curve P-256");
        }
        try {
            return new TokenKey(JWSAlgorithm.ES256, keyId, new ECDSAVerifier(key));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("an ES256 key that ECDSA cannot use", e);
        }
    }

    /**
     * The key a JWK of an identity provider's set gives, bound to its algorithm: an RSA key
     * (2048 bits or more) to RS256, a P-256 key to ES256, when its {@code alg} is that or absent
     * and its {@code use} is {@code sig} or absent. Anything else is no key for this hub, and
     * answers empty: symmetric keys (a secret has no business in a published set), encryption
     * keys, other algorithms and curves, short RSA keys.
     */
    static Optional<TokenKey> fromJwk(JWK jwk) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return Optional.empty();
        }
        try {
            if (jwk instanceof RSAKey rsa && (jwk.getAlgorithm() == null || JWSAlgorithm.RS256.equals(jwk.getAlgorithm()))) {
                return Optional.of(rs256(rsa.toRSAPublicKey(), jwk.getKeyID()));
            }
            if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())
                    && (jwk.getAlgorithm() == null || JWSAlgorithm.ES256.equals(jwk.getAlgorithm()))) {
                return Optional.of(es256(ec.toECPublicKey(), jwk.getKeyID()));
            }
        } catch (JOSEException | IllegalArgumentException unusable) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
