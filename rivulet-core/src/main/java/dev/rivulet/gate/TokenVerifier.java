package dev.rivulet.gate;

import dev.rivulet.hub.InvalidInputException;
import dev.rivulet.hub.JsonText;
import dev.rivulet.hub.TopicSelector;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a JWT (JWS compact form) into a {@link Grant}, or refuses it with a 401 that says why.
 * The signature must verify with one of the configured keys of the algorithm the token names;
 * {@code exp} and {@code nbf} hold within a small leeway for clocks that differ. A token with a
 * {@code crit} header is refused: it asks for extensions this hub does not know.
 */
public final class TokenVerifier {

    /** Longer tokens are refused unread; real ones are a few hundred bytes. */
    public static final int MAX_LENGTH = 8192;

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final long MAX_EXPIRY = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private final List<TokenKey> keys;
    private final Set<String> algorithms = new TreeSet<>();
    private final Duration leeway;
    private final Clock clock;

    public TokenVerifier(List<TokenKey> keys, Duration leeway, Clock clock) {
        this.keys = List.copyOf(keys);
        for (TokenKey k : keys) {
            algorithms.add(k.algorithm());
        }
        this.leeway = leeway;
        this.clock = clock;
    }

    public Grant verify(String token) {
        if (token.length() > MAX_LENGTH) {
            throw AccessDenied.invalidToken("the token is longer than " + MAX_LENGTH + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw AccessDenied.invalidToken("the token is not a signed JWT (three base64url parts joined by '.')");
        }
        JsonObject header = json(decode(token.substring(0, first)), "header");
        String algorithm = header.get("alg") instanceof JsonString s ? s.getString() : null;
        if (algorithm == null || !algorithms.contains(algorithm)) {
            throw AccessDenied.invalidToken("the token's algorithm is not accepted; this hub accepts " + algorithms);
        }
        if (header.containsKey("crit")) {
            throw AccessDenied.invalidToken("the token names critical header extensions, which this hub does not support");
        }
        byte[] signedPart = token.substring(0, second).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = decode(token.substring(second + 1));
        if (!verifies(algorithm, signedPart, signature)) {
            throw AccessDenied.invalidToken("the token's signature does not verify");
        }
        JsonObject claims = json(decode(token.substring(first + 1, second)), "payload");
        Instant expires = checkTimes(claims);
        return grant(claims, expires);
    }

    private boolean verifies(String algorithm, byte[] signedPart, byte[] signature) {
        for (TokenKey k : keys) {
            if (k.algorithm().equals(algorithm) && k.verifies(signedPart, signature)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks {@code exp} and {@code nbf}; answers when the token stops being valid, null for never.
     * The same instant decides here and for what the token opened (see {@link Grant#expiredAt}), so
     * a stream that ends for its token cannot be reopened with it a moment later.
     */
    private Instant checkTimes(JsonObject claims) {
        Instant now = clock.instant();
        long slack = leeway.toSeconds();
        Long exp = seconds(claims, "exp");
        // Past year 9999 a token may as well never expire; Instant cannot go much further.
        Instant expires = exp == null || exp > MAX_EXPIRY - slack ? null : Instant.ofEpochSecond(Math.max(exp, 0) + slack);
        if (expires != null && now.isAfter(expires)) {
            throw AccessDenied.invalidToken("the token has expired (exp)");
        }
        Long nbf = seconds(claims, "nbf");
        if (nbf != null && now.getEpochSecond() + slack < nbf) {
            throw AccessDenied.invalidToken("the token is not valid yet (nbf)");
        }
        return expires;
    }

    private static Long seconds(JsonObject claims, String name) {
        JsonValue v = claims.get(name);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (v instanceof JsonNumber n) {
            // Clamped before the conversion: a number like 1e999999999 would otherwise expand in full.
            BigDecimal d = n.bigDecimalValue();
            if (d.compareTo(LONG_MAX) > 0) {
                return Long.MAX_VALUE;
            }
            if (d.compareTo(LONG_MIN) < 0) {
                return Long.MIN_VALUE;
            }
            return d.longValue();
        }
        throw AccessDenied.invalidToken("the token's " + name + " claim is not a number of seconds");
    }

    private static Grant grant(JsonObject claims, Instant expires) {
        JsonValue sub = claims.get("sub");
        if (sub != null && !(sub instanceof JsonString)) {
            throw AccessDenied.invalidToken("the token's sub claim is not a string");
        }
        String subject = sub == null ? null : ((JsonString) sub).getString();
        String name = claims.containsKey("rivulet") ? "rivulet" : "mercure";
        JsonValue access = claims.get(name);
        if (access == null || access == JsonValue.NULL) {
            return new Grant(subject, List.of(), List.of(), true, expires);
        }
        if (!(access instanceof JsonObject o)) {
            throw AccessDenied.invalidToken("the token's " + name + " claim is not an object");
        }
        JsonValue payload = o.get("payload");
        return new Grant(subject, selectors(o, name, "publish"), selectors(o, name, "subscribe"), true, expires,
                payload == null ? null : payload.toString());
    }

    private static List<TopicSelector> selectors(JsonObject access, String claim, String field) {
        JsonValue v = access.get(field);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        String where = "the token's " + claim + "." + field + " claim";
        if (!(v instanceof JsonArray array)) {
            throw AccessDenied.invalidToken(where + " is not an array of topic selectors");
        }
        List<TopicSelector> out = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s)) {
                throw AccessDenied.invalidToken(where + " holds something other than a topic selector");
            }
            try {
                out.add(TopicSelector.parse(s.getString()));
            } catch (InvalidInputException e) {
                throw AccessDenied.invalidToken(where + " holds an invalid topic selector: " + e.getMessage());
            }
        }
        return out;
    }

    private static byte[] decode(String part) {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw AccessDenied.invalidToken("the token is not valid base64url");
        }
    }

    private static JsonObject json(byte[] bytes, String part) {
        try (JsonReader reader = JsonText.reader(new String(bytes, StandardCharsets.UTF_8))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw AccessDenied.invalidToken("the token's " + part + " is not a JSON object: " + JsonText.failure(e));
        }
    }
}
