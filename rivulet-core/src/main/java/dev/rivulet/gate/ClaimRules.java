package dev.rivulet.gate;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a token's claims must say beyond its signature and times, and where its access claim is:
 * the {@code iss} it must carry and an {@code aud} it must name, when set, and the claim that
 * holds {@code publish} and {@code subscribe}.
 *
 * <p>The access claim is found by a claims path ({@code rivulet.jwt.claims-path}): one or more
 * paths separated by commas, tried in order; the first that is present in a token is its access
 * claim. A path is claim names separated by dots, each name inside the one before:
 * {@code realm_access.rivulet} is the {@code rivulet} member of the {@code realm_access} claim. A
 * name that holds dots or commas (a namespaced claim such as {@code https://rivulet.dev/claims})
 * is written in double quotes: {@code "https://rivulet.dev/claims"}. The default,
 * {@code rivulet,mercure}, reads the {@code rivulet} claim, else {@code mercure}.
 */
public final class ClaimRules {

    /** Where the access claim is unless configured: {@code rivulet}, else {@code mercure}. */
    public static final String DEFAULT_CLAIMS_PATH = "rivulet,mercure";
    public static final ClaimRules DEFAULT = new ClaimRules(parsePath(DEFAULT_CLAIMS_PATH), null, null);

    private static final int MAX_DEPTH = 16;

    private final List<List<String>> paths;
    private final String issuer;
    private final String audience;

    private ClaimRules(List<List<String>> paths, String issuer, String audience) {
        this.paths = List.copyOf(paths);
        this.issuer = issuer;
        this.audience = audience;
    }

    /**
     * Rules from a claims path (see the class comment) and the issuer and audience a token must
     * carry, each null for no check. A claims path that cannot be read is an
     * {@link IllegalArgumentException} that says why.
     */
    public static ClaimRules of(String claimsPath, String issuer, String audience) {
        return new ClaimRules(parsePath(claimsPath), issuer, audience);
    }

    /** The paths of a claims path, each a list of claim names. */
    static List<List<String>> parsePath(String text) {
        List<List<String>> paths = new ArrayList<>();
        List<String> path = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (quoted) {
                if (c == '"') {
                    quoted = false;
                    wasQuoted = true;
                } else if (i == text.length()) {
                    throw new IllegalArgumentException("a quoted claim name is not closed");
                } else {
                    name.append(c);
                }
            } else if (c == '"') {
                if (!name.toString().isBlank() || wasQuoted) {
                    throw new IllegalArgumentException("a quote stands inside a claim name");
                }
                name.setLength(0);
                quoted = true;
            } else if (c == '.' || c == ',') {
                String n = wasQuoted ? name.toString() : name.toString().trim();
                if (n.isEmpty()) {
                    throw new IllegalArgumentException("a claim name is empty");
                }
                path.add(n);
                name.setLength(0);
                wasQuoted = false;
                if (c == ',') {
                    if (path.size() > MAX_DEPTH) {
                        throw new IllegalArgumentException("a path is more than " + MAX_DEPTH + " claims deep");
                    }
                    paths.add(List.copyOf(path));
                    path.clear();
                }
            } else if (wasQuoted) {
                if (!Character.isWhitespace(c)) {
                    throw new IllegalArgumentException("a quoted claim name is followed by something other than '.' or ','");
                }
            } else if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("a claim name holds a control character");
            } else {
                name.append(c);
            }
        }
        return paths;
    }

    /** Refuses a token whose {@code iss} or {@code aud} is not the one this hub requires. */
    void checkIssuerAndAudience(JsonObject claims) {
        if (issuer != null && !(claims.get("iss") instanceof JsonString iss && iss.getString().equals(issuer))) {
            throw AccessDenied.invalidToken("the token's issuer (iss) is not the one this hub trusts");
        }
        if (audience != null && !names(claims.get("aud"), audience)) {
            throw AccessDenied.invalidToken("the token's audience (aud) does not name this hub");
        }
    }

    private static boolean names(JsonValue aud, String audience) {
        if (aud instanceof JsonString s) {
            return s.getString().equals(audience);
        }
        if (aud instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s && s.getString().equals(audience)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A claim found on a path: its value, and the path as the refusal names it. */
    record Found(String where, JsonValue value) {
    }

    /**
     * The access claim of {@code claims}: the value at the first path present (JSON null counts as
     * present, and grants nothing); empty when no path is. A claim on the way that is there but
     * not an object is refused.
     */
    Optional<Found> accessClaim(JsonObject claims) {
        paths:
        for (List<String> path : paths) {
            JsonValue v = claims;
            for (int i = 0; i < path.size(); i++) {
                if (v == null || v == JsonValue.NULL) {
                    continue paths;
                }
                if (!(v instanceof JsonObject o)) {
                    throw AccessDenied.invalidToken("the token's " + String.join(".", path.subList(0, i))
                            + " claim is not an object");
                }
                v = o.get(path.get(i));
            }
            if (v != null) {
                return Optional.of(new Found(String.join(".", path), v));
            }
        }
        return Optional.empty();
    }
}
