package dev.rivulet.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.UUID;

/** The server `mvn verify` starts for the integration tests, and what they know of its settings. */
final class ItServer {

    static final int PORT = Integer.getInteger("it.http.port", 9080);
    static final Duration PING_INTERVAL = Duration.parse(System.getProperty("it.chat.ping-interval", "PT1S"));
    static final Duration IDLE_TIMEOUT = Duration.parse(System.getProperty("it.chat.idle-timeout", "PT10S"));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ItServer() {
    }

    static URI http(String path) {
        return URI.create("http://localhost:" + PORT + path);
    }

    static URI ws(String path) {
        return URI.create("ws://localhost:" + PORT + path);
    }

    /** A room name no other test uses. */
    static String room(String purpose) {
        return purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The value of a gauge in the Prometheus text at /metrics. */
    static long metric(String name) throws IOException, InterruptedException {
        return (long) HubServer.metric(HubServer.metrics(), name);
    }
}
