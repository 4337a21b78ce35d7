package dev.rivulet.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider's certs endpoint on 127.0.0.1, as Keycloak serves it
 * ({@value #PATH}): it answers the JWK set and status the test sets, counts the fetches, and can
 * hold its answers back, as a provider that does not answer would.
 */
public final class JwksServer implements AutoCloseable {

    public static final String PATH = "/realms/demo/protocol/openid-connect/certs";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "{\"keys\":[]}";
    private volatile CountDownLatch hold;

    private JwksServer(HttpServer server) {
        this.server = server;
        server.setExecutor(threads);
        server.createContext(PATH, exchange -> {
            fetches.incrementAndGet();
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] answer = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
    }

    /** A server on a free port, answering an empty set until told otherwise. */
    public static JwksServer start() {
        try {
            JwksServer s = new JwksServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the JWK set server", e);
        }
    }

    /** The URL of the set, for {@code rivulet.jwt.jwks-uri}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    /** Answers {@code status} with {@code body} from now on. */
    public void answer(int status, String body) {
        this.body = body;
        this.status = status;
    }

    /** Answers the JWK set {@code {"keys":[...]}} of the given keys (JSON objects) from now on. */
    public void serve(String... jwks) {
        answer(200, "{\"keys\":[" + String.join(",", jwks) + "]}");
    }

    /** Holds every answer back until {@link #release}. */
    public void hold() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** How many times the set was asked for. */
    public int fetches() {
        return fetches.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        threads.shutdownNow();
    }
}
