package dev.rivulet.web;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which web origins may call the hub from a browser ({@code rivulet.cors.origins}): listed origins
 * with credentials (cookies, the {@code Authorization} header), {@code *} for any origin without
 * them. By default none is listed, and browsers keep pages of other origins out.
 */
@ApplicationScoped
public class Cors {

    static final String ANY = "*";
    static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Accept, Cache-Control";
    static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate, Last-Event-ID, Link";

    @Inject
    @ConfigProperty(name = "rivulet.cors.origins", defaultValue = " ")
    String originsValue;

    private List<String> origins;

    protected Cors() {
    }

    @PostConstruct
    void read() {
        origins = parseOrigins(originsValue);
    }

    /** Read at startup, so a bad origin list stops the application. */
    void validate(@Observes @Initialized(ApplicationScoped.class) Object context) {
        origins.size();
    }

    /** True when a page of {@code origin} may read the hub's answers. */
    boolean allows(String origin) {
        return allows(origins, origin);
    }

    /** True when {@code origin} is listed by name, which is what sending credentials from it takes. */
    boolean listed(String origin) {
        return listed(origins, origin);
    }

    /** The origins of a comma- or space-separated list, each {@code scheme://host[:port]} or {@code *}. */
    static List<String> parseOrigins(String raw) {
        List<String> origins = new ArrayList<>();
        for (String o : raw.split("[,\\s]+")) {
            if (o.isEmpty()) {
                continue;
            }
            String origin = o.toLowerCase(Locale.ROOT);
            if (!origin.equals(ANY) && !origin.matches("https?://[a-z0-9.\\-\\[\\]:]+")) {
                throw ConfigValue.invalid("rivulet.cors.origins", raw,
                        "origins like https://app.example.com or http://localhost:3000, or *, separated by commas");
            }
            origins.add(origin);
        }
        return List.copyOf(origins);
    }

    /** True when a page of {@code origin} may read the hub's answers. */
    static boolean allows(List<String> origins, String origin) {
        return origins.contains(ANY) || listed(origins, origin);
    }

    /** True when {@code origin} is listed by name, which is what sending credentials from it takes. */
    static boolean listed(List<String> origins, String origin) {
        return origin != null && origins.contains(origin.toLowerCase(Locale.ROOT));
    }
}
