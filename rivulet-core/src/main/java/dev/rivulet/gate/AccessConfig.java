package dev.rivulet.gate;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may do what: the keys tokens are verified with ({@code rivulet.jwt.*}: a secret or PEM keys,
 * and an identity provider's JWK set beside them), what their claims must say and where the access
 * claim is, whether subscribers need a token. With no key configured the hub runs on the
 * development secret, and says so at startup.
 */
@ApplicationScoped
public class AccessConfig {

    /** The HS256 secret a hub with no key configured uses; the README's token is signed with it. */
    public static final String DEVELOPMENT_SECRET = "!ChangeThisRivuletDevelopmentSecret!";

    static final Duration MIN_JWKS_REFRESH = Duration.ofSeconds(1);
    static final Duration MAX_JWKS_REFRESH = Duration.ofDays(1);
    static final int MAX_CLAIM_VALUE = 2048;

    private static final Logger LOG = Logger.getLogger(AccessConfig.class.getName());

    @Inject
    @ConfigProperty(name = "rivulet.jwt.secret")
    Optional<String> secretValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.previous-secret")
    Optional<String> previousSecretValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.public-key")
    Optional<String> publicKeyValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.jwks-uri")
    Optional<String> jwksUriValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.jwks-refresh", defaultValue = "PT5M")
    String jwksRefreshValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.claims-path", defaultValue = ClaimRules.DEFAULT_CLAIMS_PATH)
    String claimsPathValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.issuer")
    Optional<String> issuerValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.audience")
    Optional<String> audienceValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.cookie", defaultValue = "rivuletAuthorization")
    String cookieValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.leeway", defaultValue = "PT30S")
    String leewayValue;

    @Inject
    @ConfigProperty(name = "rivulet.subscribe.anonymous", defaultValue = "true")
    String anonymousValue;

    private List<TokenKey> keys;
    private URI jwksUri;
    private Duration jwksRefresh;
    private ClaimRules claimRules;
    private boolean developmentSecret;
    private String cookie;
    private Duration leeway;
    private boolean anonymousSubscribe;

    protected AccessConfig() {
    }

    @PostConstruct
    void read() {
        keys = new ArrayList<>();
        if (publicKeyValue.isPresent() && secretValue.isPresent()) {
            throw ConfigValue.invalid("rivulet.jwt.public-key", publicKeyValue.get(),
                    "unset while rivulet.jwt.secret is set: a hub verifies tokens with one kind of key");
        }
        jwksUri = jwksUriValue.map(AccessConfig::jwksUri).orElse(null);
        jwksRefresh = ConfigValue.durationIn("rivulet.jwt.jwks-refresh", jwksRefreshValue, MIN_JWKS_REFRESH, MAX_JWKS_REFRESH);
        if (publicKeyValue.isPresent()) {
            keys.addAll(publicKeys(publicKeyValue.get()));
        } else if (secretValue.isPresent() || jwksUri == null) {
            developmentSecret = secretValue.isEmpty();
            keys.add(secret("rivulet.jwt.secret", secretValue.orElse(DEVELOPMENT_SECRET)));
            previousSecretValue.ifPresent(p -> keys.add(secret("rivulet.jwt.previous-secret", p)));
        }
        String issuer = issuerValue.map(v -> claimValue("rivulet.jwt.issuer", v)).orElse(null);
        String audience = audienceValue.map(v -> claimValue("rivulet.jwt.audience", v)).orElse(null);
        try {
            claimRules = ClaimRules.of(claimsPathValue, issuer, audience);
        } catch (IllegalArgumentException e) {
            throw ConfigValue.invalid("rivulet.jwt.claims-path", claimsPathValue,
                    "claim names separated by '.', a name with dots or commas in double quotes, several paths "
                            + "separated by ',' (for example realm_access.rivulet or \"https://rivulet.dev/claims\"): "
                            + e.getMessage());
        }
        cookie = cookieValue.trim();
        if (!cookie.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw ConfigValue.invalid("rivulet.jwt.cookie", cookieValue, "a cookie name of letters, digits, '_', '.' and '-'");
        }
        leeway = ConfigValue.durationIn("rivulet.jwt.leeway", leewayValue, Duration.ZERO, Duration.ofMinutes(5));
        anonymousSubscribe = ConfigValue.bool("rivulet.subscribe.anonymous", anonymousValue);
    }

    /** An absolute http or https URI with a host. */
    private static URI jwksUri(String value) {
        try {
            URI uri = new URI(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigValue.invalid("rivulet.jwt.jwks-uri", value,
                "an https:// (or http://) URL of a JWK set, such as https://sso.example.com/realms/demo/protocol/openid-connect/certs");
    }

    /** An issuer or audience: 1 to {@value #MAX_CLAIM_VALUE} characters, none of them white space or control characters. */
    private static String claimValue(String key, String value) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > MAX_CLAIM_VALUE || !v.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw ConfigValue.invalid(key, value, "1 to " + MAX_CLAIM_VALUE + " characters without spaces, as the token carries it");
        }
        return v;
    }

    private static TokenKey secret(String key, String secret) {
        try {
            return TokenKey.hmac(secret.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ConfigValue.invalid(key, "(" + secret.length() + " characters, not shown)",
                    "a secret of at least " + TokenKey.MIN_SECRET_BYTES + " bytes");
        }
    }

    private static List<TokenKey> publicKeys(String file) {
        try {
            return TokenKey.publicKeys(Files.readString(Path.of(file.trim()), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw ConfigValue.invalid("rivulet.jwt.public-key", file, "a readable PEM file (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw ConfigValue.invalid("rivulet.jwt.public-key", file,
                    "a PEM file of RSA (2048 bits or more) or P-256 public keys: " + e.getMessage());
        }
    }

    /** Read at startup, so a bad key stops the application, and a development secret is noticed. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        if (usesDevelopmentSecret()) {
            LOG.warning("Tokens are verified with the development secret, which anyone can read in the README. "
                    + "Set rivulet.jwt.secret (RIVULET_JWT_SECRET), rivulet.jwt.public-key or rivulet.jwt.jwks-uri before this hub serves "
                    + "anyone but you.");
        }
        if (jwksUri != null && jwksUri.getScheme().equalsIgnoreCase("http") && !loopback(jwksUri.getHost())) {
            LOG.warning("Token keys are fetched over plain HTTP from " + jwksUri.getHost() + ": anyone on the way can "
                    + "swap them for their own. Use an https:// rivulet.jwt.jwks-uri.");
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }

    /** The identity provider's JWK set, when one is configured. */
    public Optional<URI> jwksUri() {
        return Optional.ofNullable(jwksUri);
    }

    /** How often the JWK set is fetched, and at most how often a token's unknown {@code kid} fetches it. */
    public Duration jwksRefresh() {
        return jwksRefresh;
    }

    /** What a token's claims must say ({@code iss}, {@code aud}) and where its access claim is. */
    public ClaimRules claimRules() {
        return claimRules;
    }

    /** The configured keys a token may be signed with: one, or two while a key is rotated; none when only a JWK set is trusted. */
    public List<TokenKey> keys() {
        return keys;
    }

    /** True while tokens are verified with {@link #DEVELOPMENT_SECRET}. */
    public boolean usesDevelopmentSecret() {
        return developmentSecret;
    }

    /** The cookie a browser's token may come in. */
    public String cookie() {
        return cookie;
    }

    /** How far {@code exp} and {@code nbf} may be off, for clocks that differ. */
    public Duration leeway() {
        return leeway;
    }

    /** True when a client without a token may subscribe (and then sees public events only). */
    public boolean anonymousSubscribe() {
        return anonymousSubscribe;
    }
}
