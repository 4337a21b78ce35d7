package dev.rivulet.mercure;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of the Mercure endpoint. */
@ApplicationScoped
public class MercureConfig {

    static final String PUBLIC_URL = "rivulet.mercure.public-url";

    @Inject
    @ConfigProperty(name = PUBLIC_URL, defaultValue = " ")
    String publicUrlValue;

    static final String SUBSCRIPTIONS = "rivulet.mercure.subscriptions";

    @Inject
    @ConfigProperty(name = SUBSCRIPTIONS, defaultValue = "false")
    String subscriptionsValue;

    private String publicUrl;
    private boolean subscriptions;

    @PostConstruct
    void read() {
        publicUrl = parsePublicUrl(publicUrlValue);
        subscriptions = ConfigValue.bool(SUBSCRIPTIONS, subscriptionsValue);
    }

    /** Whether Mercure subscriptions are announced and listed (off by default, as in Mercure). */
    public boolean subscriptions() {
        return subscriptions;
    }

    /** Read at startup, so a bad URL stops the application. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        read();
    }

    /** The configured public URL of the hub; null when unset. */
    static String parsePublicUrl(String raw) {
        String value = raw == null ? "" : raw.trim();
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && value.length() <= 2048) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigValue.invalid(PUBLIC_URL, raw,
                "an absolute http or https URL without query or fragment, like https://hub.example.com/.well-known/mercure");
    }

    /**
     * The URL subscribers reach the hub at: {@code rivulet.mercure.public-url}, or this server's own
     * {@code /.well-known/mercure} as the request reached it.
     */
    public String hubUrl(HttpServletRequest request) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String host = request.getHeader("Host");
        if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}")) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        return request.getScheme() + "://" + host + request.getContextPath() + "/.well-known/mercure";
    }
}
