package dev.rivulet.gate;

import dev.rivulet.ops.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which web origins may call the hub from a browser ({@code rivulet.cors.origins}): listed origins
 * with credentials (cookies, the {@code Authorization} header), {@code *} for any origin without
 * them. By default none is listed, and browsers keep pages of other origins out.
 */
final class Cors {

    static final String ANY = "*";
    static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, Last-Event-ID, Accept, Cache-Control";
    static final String EXPOSED_HEADERS = "Retry-After, WWW-Authenticate";

    private Cors() {
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
