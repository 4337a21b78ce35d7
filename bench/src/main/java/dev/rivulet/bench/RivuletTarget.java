package dev.rivulet.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Rivulet's runnable JAR, started with the JVM options given and the limits raised for the
 * benchmark: 16,000 connections (the idle scenario holds 15,000).
 */
final class RivuletTarget implements Target {

    private final Path jar;
    private final Path work;
    private final int port;
    private final List<String> jvmOptions;
    private final String cpus;
    private final String token;
    private final java.util.Map<String, String> env;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    RivuletTarget(Path jar, Path work, int port, List<String> jvmOptions, String cpus, String secret) {
        this(jar, work, port, jvmOptions, cpus, secret, java.util.Map.of());
    }

    /** The same with {@code env} added to the server's environment (a cluster node's broker). */
    RivuletTarget(Path jar, Path work, int port, List<String> jvmOptions, String cpus, String secret,
                  java.util.Map<String, String> env) {
        this.env = env;
        this.jar = jar;
        this.work = work;
        this.port = port;
        this.jvmOptions = jvmOptions;
        this.cpus = cpus;
        this.token = BearerToken.sign(secret);
    }

    @Override
    public String name() {
        return "rivulet";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (!cpus.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HTTP_PORT", Integer.toString(port));
        pb.environment().put("HTTPS_PORT", Integer.toString(port + 1));
        pb.environment().put("WLP_JAR_EXTRACT_DIR", work.resolve("wlp").toString());
        pb.environment().put("RIVULET_CONNECTIONS_MAX", "16000");
        // A closed stream is noticed at its next write: a short keep-alive frees one scenario's
        // connections before the next begins (15 s by default).
        pb.environment().put("RIVULET_SSE_KEEP_ALIVE", "PT5S");
        // A room of 1,000 that all join within a second sends each member ~1,000 join events at
        // once: more than the default queue (512), which would cut every member off as too slow.
        pb.environment().put("RIVULET_SUBSCRIBER_QUEUE_SIZE", "2048");
        pb.environment().put("RIVULET_HISTORY_MAX_EVENTS", "4096");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(work.resolve("rivulet.log").toFile());
        work.toFile().mkdirs();
        // The runnable JAR extracts itself afresh and refuses a folder left by the last run.
        deleteTree(work.resolve("wlp"));
        process = pb.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Rivulet exited; see " + work.resolve("rivulet.log"));
            }
            try {
                if (get("/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IOException("Rivulet did not become ready in 120 s; see " + work.resolve("rivulet.log"));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (java.nio.file.Files.exists(dir)) {
            try (var paths = java.nio.file.Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The JVM's pid: the process started (taskset execs java in place, and the runnable JAR runs
     * the server in its own JVM), or a java process under it, should a launcher ever
     * start the server as a child.
     */
    private long pid() {
        long pid = process.pid();
        for (ProcessHandle p : process.descendants().toList()) {
            if (p.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
                pid = p.pid();
            }
        }
        return pid;
    }

    @Override
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    @Override
    public long rssBytes() {
        return Target.rssOf(pid());
    }

    @Override
    public long threads() {
        return Target.threadsOf(pid());
    }

    /** {@code jcmd PID Thread.dump_to_file -format=json}: every platform and virtual thread, with stacks. */
    @Override
    public Optional<ThreadDump> threadDump(Path file) throws IOException, InterruptedException {
        java.nio.file.Files.deleteIfExists(file);
        Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "Thread.dump_to_file", "-format=json", file.toString())
                .redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        if (!dump.waitFor(60, TimeUnit.SECONDS) || !java.nio.file.Files.exists(file)) {
            dump.destroyForcibly();
            return Optional.empty();
        }
        return Optional.of(ThreadDump.read(file));
    }

    @Override
    public OptionalLong heapBytesAfterGc() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.run").redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
        gc.waitFor(60, TimeUnit.SECONDS);
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith("memory_usedHeap_bytes")) {
                return OptionalLong.of((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public int connections() throws IOException, InterruptedException {
        int sum = 0;
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith("rivulet_connections{")) {
                sum += (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    @Override
    public String publishPath(String topic) {
        return "/api/topics/" + topic;
    }

    @Override
    public String subscribePath(String topic) {
        return "/api/topics/" + topic;
    }

    @Override
    public String roomSubscribePath(String room, String member) {
        return "/ws/chat/" + room + "?name=" + member + "&access_token=" + token;
    }

    @Override
    public String roomTopic(String room) {
        return "chat/" + room;
    }

    @Override
    public String authorization() {
        return "Authorization: Bearer " + token + "\r\n";
    }
}
