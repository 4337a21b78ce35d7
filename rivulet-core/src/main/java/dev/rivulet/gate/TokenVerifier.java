package dev.rivulet.gate;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
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
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a JWT (JWS compact form) into a {@link Grant}, or refuses it with a 401 that says why.
 * nimbus-jose-jwt parses the token and checks its signature; the signature must verify with one
 * of the keys of the algorithm the token names: the configured keys (a secret or PEM keys), then
 * the identity provider's key of the token's {@code kid}, when a JWK set is configured. Keys in
 * the token's own header ({@code jwk}, {@code jku}, {@code x5c}, {@code x5u}) are never used.
 * {@code exp} and {@code nbf} hold within a small leeway for clocks that differ; the
 * {@link ClaimRules} check {@code iss} and {@code aud} and say which claim grants access. A token
 * with a {@code crit} header is refused: it asks for extensions this hub does not know.
 */
public final class TokenVerifier {

    /** Longer tokens are refused unread; real ones are a few hundred bytes. */
    public static final int MAX_LENGTH = 8192;

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final long MAX_EXPIRY = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    /** The algorithms an identity provider's keys are bound to (see {@link TokenKey#fromJwk}). */
    private static final Set<String> PROVIDER_ALGORITHMS = Set.of("RS256", "ES256");

    private final List<TokenKey> keys;
    private final JwksKeys provider;
    private final ClaimRules rules;
    private final Set<String> algorithms = new TreeSet<>();
    private final Duration leeway;
    private final Clock clock;

    /** A verifier of configured keys only, which reads the {@code rivulet} claim, else {@code mercure}. */
    public TokenVerifier(List<TokenKey> keys, Duration leeway, Clock clock) {
        this(keys, null, ClaimRules.DEFAULT, leeway, clock);
    }

    /** A verifier of configured keys and, unless {@code provider} is null, an identity provider's. */
    public TokenVerifier(List<TokenKey> keys, JwksKeys provider, ClaimRules rules, Duration leeway, Clock clock) {
        this.keys = List.copyOf(keys);
        for (TokenKey k : keys) {
            algorithms.add(k.algorithm());
        }
        this.provider = provider;
        if (provider != null) {
            algorithms.addAll(PROVIDER_ALGORITHMS);
        }
        this.rules = rules;
        this.leeway = leeway;
        this.clock = clock;
    }

    public Grant verify(String token) {
        if (token.length() > MAX_LENGTH) {
            throw AccessDenied.invalidToken("the token is longer than " + MAX_LENGTH + " characters");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(token);
        } catch (ParseException | RuntimeException e) {
            // Not nimbus's message: it can quote the token's header.
            throw AccessDenied.invalidToken("the token is not a signed JWT (three base64url parts joined by '.', "
                    + "a JSON header that names a signature algorithm)");
        }
        JWSHeader header = jws.getHeader();
        if (!algorithms.contains(header.getAlgorithm().getName())) {
            throw AccessDenied.invalidToken("the token's algorithm is not accepted; this hub accepts " + algorithms);
        }
        if (header.getCriticalParams() != null || !header.isBase64URLEncodePayload()) {
            throw AccessDenied.invalidToken("the token names critical header extensions, which this hub does not support");
        }
        if (!verifies(jws)) {
            throw AccessDenied.invalidToken("the token's signature does not verify");
        }
        JsonObject claims = json(jws.getPayload().toBytes(), "payload");
        Instant expires = checkTimes(claims);
        rules.checkIssuerAndAudience(claims);
        return grant(claims, expires);
    }

    private boolean verifies(JWSObject jws) {
        for (TokenKey k : keys) {
            if (k.verifies(jws)) {
                return true;
            }
        }
        if (provider != null && PROVIDER_ALGORITHMS.contains(jws.getHeader().getAlgorithm().getName())) {
            for (TokenKey k : provider.keys(jws.getHeader().getAlgorithm().getName(), jws.getHeader().getKeyID())) {
                if (k.verifies(jws)) {
                    return true;
                }
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

    private Grant grant(JsonObject claims, Instant expires) {
        JsonValue sub = claims.get("sub");
        if (sub != null && !(sub instanceof JsonString)) {
            throw AccessDenied.invalidToken("the token's sub claim is not a string");
        }
        String subject = sub == null ? null : ((JsonString) sub).getString();
        Optional<ClaimRules.Found> found = rules.accessClaim(claims);
        if (found.isEmpty() || found.get().value() == JsonValue.NULL) {
            return new Grant(subject, List.of(), List.of(), true, expires);
        }
        String name = found.get().where();
        if (!(found.get().value() instanceof JsonObject o)) {
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

    private static JsonObject json(byte[] bytes, String part) {
        try (JsonReader reader = JsonText.reader(new String(bytes, StandardCharsets.UTF_8))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw AccessDenied.invalidToken("the token's " + part + " is not a JSON object: " + JsonText.failure(e));
        }
    }
}
