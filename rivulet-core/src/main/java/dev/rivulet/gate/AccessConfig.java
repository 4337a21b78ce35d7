package dev.rivulet.gate;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may do what: the keys tokens are verified with ({@code rivulet.jwt.*}), whether subscribers
 * need a token. With no key
 * configured the hub runs on the development secret, and says so at startup.
 */
@ApplicationScoped
public class AccessConfig {

    /** The HS256 secret a hub with no key configured uses; the README's token is signed with it. */
    public static final String DEVELOPMENT_SECRET = "!ChangeThisRivuletDevelopmentSecret!";

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
    @ConfigProperty(name = "rivulet.jwt.cookie", defaultValue = "rivuletAuthorization")
    String cookieValue;

    @Inject
    @ConfigProperty(name = "rivulet.jwt.leeway", defaultValue = "PT30S")
    String leewayValue;

    @Inject
    @ConfigProperty(name = "rivulet.subscribe.anonymous", defaultValue = "true")
    String anonymousValue;

    private List<TokenKey> keys;
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
        if (publicKeyValue.isPresent()) {
            keys.addAll(publicKeys(publicKeyValue.get()));
        } else {
            developmentSecret = secretValue.isEmpty();
            keys.add(secret("rivulet.jwt.secret", secretValue.orElse(DEVELOPMENT_SECRET)));
            previousSecretValue.ifPresent(p -> keys.add(secret("rivulet.jwt.previous-secret", p)));
        }
        cookie = cookieValue.trim();
        if (!cookie.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw ConfigValue.invalid("rivulet.jwt.cookie", cookieValue, "a cookie name of letters, digits, '_', '.' and '-'");
        }
        leeway = ConfigValue.durationIn("rivulet.jwt.leeway", leewayValue, Duration.ZERO, Duration.ofMinutes(5));
        anonymousSubscribe = ConfigValue.bool("rivulet.subscribe.anonymous", anonymousValue);
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
                    + "Set rivulet.jwt.secret (RIVULET_JWT_SECRET) or rivulet.jwt.public-key before this hub serves "
                    + "anyone but you.");
        }
    }

    /** The keys a token may be signed with: one, or two while a key is rotated. */
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
