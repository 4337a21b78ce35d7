package dev.rivulet.it;

import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.gate.AccessConfig;
import dev.rivulet.testing.Poll;
import dev.rivulet.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Rivulet server of a test's own, for behaviour the shared IT server must not show (tight
 * limits, a stop, a bad configuration): a Liberty server run in the foreground from the build's
 * Liberty install ({@code server run}), or the runnable JAR ({@code java -jar}). It gets free ports
 * and its configuration as environment variables, as an operator or a container would give it.
 * Its console output goes to {@code target/it-servers/<name>.log}. {@link #close} always ends it.
 */
public final class ServerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HubServer.HTTP;

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final Path libertyHome;
    private final long startedAt = System.nanoTime();

    private ServerProcess(String name, Process process, int port, Path log, Path libertyHome) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.libertyHome = libertyHome;
        // If the test JVM dies first, the server must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    /** A Liberty server {@code name} with the application, started with {@code server run}. */
    public static ServerProcess liberty(String name, Map<String, String> env) {
        Path wlp = path("it.liberty.dir");
        Path serverDir = wlp.resolve("usr/servers").resolve(name);
        try {
            deleteTree(serverDir);
            Files.createDirectories(serverDir.resolve("apps"));
            Files.copy(path("it.server.xml"), serverDir.resolve("server.xml"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(path("it.war"), serverDir.resolve("apps/rivulet.war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lay out server " + name, e);
        }
        return start(name, List.of(wlp.resolve("bin/server").toString(), "run", name), env, wlp);
    }

    /** The runnable JAR ({@code mvn package} builds it), started with {@code java -jar}. */
    public static ServerProcess runnableJar(String name, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(env);
        // Extract under target/, not in the user's home; the JAR refuses a directory left from a run before.
        Path extract = path("it.build.dir").resolve("it-servers").resolve(name + "-extract");
        try {
            deleteTree(extract);
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear " + extract, e);
        }
        all.put("WLP_JAR_EXTRACT_DIR", extract.toString());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(name, List.of(java, "-jar", path("it.jar").toString()), all, null);
    }

    private static ServerProcess start(String name, List<String> command, Map<String, String> env, Path libertyHome) {
        int port = freePort();
        Path log = path("it.build.dir").resolve("it-servers").resolve(name + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            pb.environment().put("HTTP_PORT", Integer.toString(port));
            pb.environment().put("HTTPS_PORT", Integer.toString(freePort()));
            pb.environment().putAll(env);
            return new ServerProcess(name, pb.start(), port, log, libertyHome);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    public int port() {
        return port;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the console output if the server dies first. */
    public ServerProcess awaitReady(Duration within) {
        Poll.until(name + " to be ready", within, () -> {
            if (!process.isAlive()) {
                fail(name + " exited with " + process.exitValue() + " before it was ready:\n" + output());
            }
            try {
                return get("/health/ready").statusCode();
            } catch (UncheckedIOException notListeningYet) {
                return -1;
            }
        }, status -> status == 200);
        return this;
    }

    /** Waits until the console output contains {@code text}; answers the output. */
    public String awaitOutput(String text, Duration within) {
        return Poll.until("'" + text + "' in the output of " + name, within, this::output, o -> o.contains(text));
    }

    /** Everything the server has written to its console so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** SIGTERM, as a container runtime, Kubernetes or Ctrl-C sends it. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL, as a crash or an out-of-memory killer ends it: no drain, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Liberty's own {@code server stop <name>}; answers its exit code. */
    public int serverStop() {
        if (libertyHome == null) {
            throw new IllegalStateException("server stop needs a Liberty server, not the runnable JAR");
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(libertyHome.resolve("bin/server").toString(), "stop", name)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process stop = pb.start();
            if (!stop.waitFor(60, TimeUnit.SECONDS)) {
                stop.destroyForcibly();
                fail("server stop " + name + " did not finish within 60 s");
            }
            return stop.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the server process to end; answers whether it did within {@code within}. */
    public boolean awaitExit(Duration within) {
        try {
            return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How long ago the process was started. */
    Duration age() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(Duration.ofSeconds(30))) {
                process.destroyForcibly();
                awaitExit(Duration.ofSeconds(10));
            }
        }
    }

    // --- HTTP against this server ---

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(HubServer.REQUEST_TIMEOUT)
                .header("Authorization", HubServer.AUTHORIZATION).GET().build());
    }

    /** POST with the given headers, as name-value pairs; with the README's token unless they hold an Authorization. */
    public HttpResponse<String> post(String pathAndQuery, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        boolean authorized = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            authorized |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (!authorized) {
            b.header("Authorization", HubServer.AUTHORIZATION);
        }
        return send(b.build());
    }

    public String metrics() {
        return get("/metrics").body();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://" + HubServer.HOST + ":" + port + pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The answer to a request sent on a raw socket. */
    public record RawResponse(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Publishes JSON from {@code localAddress} (a loopback address such as 127.0.0.2) with a token
     * whose subject names that address, so the server sees a publisher of its own. The JDK's
     * HttpClient cannot choose its source address before Java 19.
     */
    public RawResponse publishFrom(InetAddress localAddress, String topic, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String token = Tokens.hs256(AccessConfig.DEVELOPMENT_SECRET,
                "{\"sub\":\"publisher-" + localAddress.getHostAddress() + "\",\"rivulet\":{\"publish\":[\"*\"]}}");
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(20_000);
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            OutputStream out = socket.getOutputStream();
            String head = "POST /api/topics/" + topic + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, response.substring(headEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException("publish from " + localAddress + " failed", e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    // --- setup ---

    private static Path path(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests with mvn verify");
        }
        return Path.of(value);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}
