package dev.rivulet.gate;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key a token's signature may be checked with, bound to the one algorithm it is for: an HMAC
 * secret to HS256, an RSA public key to RS256, a P-256 public key to ES256. A token names its
 * algorithm, and only keys of exactly that algorithm are tried, so an RSA public key is never
 * used as an HMAC secret (key confusion) and {@code none} matches no key at all.
 */
public abstract class TokenKey {

    /** HS256 needs a secret at least as long as its hash (RFC 7518, section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    private static final int MIN_RSA_BITS = 2048;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    private final String algorithm;

    private TokenKey(String algorithm) {
        this.algorithm = algorithm;
    }

    /** The JWS {@code alg} this key checks: HS256, RS256 or ES256. */
    public String algorithm() {
        return algorithm;
    }

    /** True when {@code signature} is this key's signature of {@code signedPart}. */
    abstract boolean verifies(byte[] signedPart, byte[] signature);

    /** An HS256 secret; refuses one shorter than {@value #MIN_SECRET_BYTES} bytes. */
    public static TokenKey hmac(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("an HS256 secret is at least " + MIN_SECRET_BYTES + " bytes");
        }
        SecretKeySpec key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        return new TokenKey("HS256") {
            @Override
            boolean verifies(byte[] signedPart, byte[] signature) {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(key);
                    // Constant time: how much of a forged signature matched must not show in the timing.
                    return MessageDigest.isEqual(mac.doFinal(signedPart), signature);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is not available", e);
                }
            }
        };
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
        try {
            PublicKey key = KeyFactory.getInstance("RSA").generatePublic(spec);
            if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
                throw new IllegalArgumentException("an RS256 key has at least " + MIN_RSA_BITS + " bits");
            }
            return signatureKey("RS256", "SHA256withRSA", key);
        } catch (GeneralSecurityException notRsa) {
            // Try the other kind.
        }
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(spec);
            if (!onP256((ECPublicKey) key)) {
                throw new IllegalArgumentException("an ES256 key is on curve P-256");
            }
            // JWS carries ECDSA signatures as R and S side by side (IEEE P1363), not in DER.
            return signatureKey("ES256", "SHA256withECDSAinP1363Format", key);
        } catch (GeneralSecurityException notEc) {
            throw new IllegalArgumentException("a public key is neither RSA nor EC");
        }
    }

    private static boolean onP256(ECPublicKey key) throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec p256 = p.getParameterSpec(ECParameterSpec.class);
        ECParameterSpec given = key.getParams();
        return given.getCurve().equals(p256.getCurve()) && given.getOrder().equals(p256.getOrder())
                && given.getGenerator().equals(p256.getGenerator());
    }

    private static TokenKey signatureKey(String algorithm, String jcaName, PublicKey key) {
        return new TokenKey(algorithm) {
            @Override
            boolean verifies(byte[] signedPart, byte[] signature) {
                try {
                    Signature s = Signature.getInstance(jcaName);
                    s.initVerify(key);
                    s.update(signedPart);
                    return s.verify(signature);
                } catch (java.security.SignatureException malformed) {
                    return false;
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(jcaName + " is not available", e);
                }
            }
        };
    }
}
