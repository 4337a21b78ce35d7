package dev.rivulet.it.mercure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.it.HubServer;
import dev.rivulet.testing.Tokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** What the Mercure tests share: tokens with only a mercure claim, form publishes, encoded queries. */
final class Mercure {

    /** A publisher's token as Mercure issuers make them: a mercure claim and nothing else (no exp, iss, sub or aud). */
    static final String PUBLISHER = Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, "{\"mercure\":{\"publish\":[\"*\"]}}");

    private Mercure() {
    }

    /** A token whose mercure claim is {@code claim} (JSON), signed with the shared servers' secret. */
    static String token(String claim) {
        return Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET, "{\"mercure\":" + claim + "}");
    }

    /** Percent-encodes a form or query value. */
    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** {@code topic=a&topic=b...} for a subscribe query. */
    static String topics(String... topics) {
        StringBuilder q = new StringBuilder();
        for (String t : topics) {
            q.append(q.isEmpty() ? "" : "&").append("topic=").append(enc(t));
        }
        return q.toString();
    }

    /** A publish to the server at {@code port} with the form {@code form} (already encoded) and {@code headers}. */
    static HttpResponse<String> post(int port, String form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HubServer.HOST + ":" + port + "/.well-known/mercure"))
                .timeout(HubServer.REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HubServer.send(b.build());
    }

    /** Publishes {@code form} on the shared server with the publisher's token; answers the id the hub returned. */
    static String publish(String form) {
        return publish(HubServer.port(), form);
    }

    /** The same on the server at {@code port}. */
    static String publish(int port, String form) {
        HttpResponse<String> r = post(port, form, "Authorization", "Bearer " + PUBLISHER);
        assertEquals(200, r.statusCode(), () -> "publish answered " + r.body());
        assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        return r.body();
    }
}
