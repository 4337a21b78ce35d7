package dev.rivulet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * A real Redis server (the Redis 7.0 binary that {@code org.signal:embedded-redis} packages in
 * Maven) on 127.0.0.1, with no persistence: what the cluster tests run their nodes on.
 *
 * <ul>
 *   <li>{@code start <port> <folder>}: returns once Redis answers; the server process goes on
 *       (Maven runs it in pre-integration-test, before the Liberty servers).</li>
 *   <li>{@code stop <port>}: shuts it down without saving (in verify, after the Liberty servers).</li>
 * </ul>
 *
 * Tests call {@link #start} and {@link #stop} themselves to take Redis away under a running hub.
 */
public final class EmbeddedRedisServer {

    private EmbeddedRedisServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("start")) {
            start(Integer.parseInt(args[1]), Path.of(args[2]));
            System.out.println("Redis on 127.0.0.1:" + args[1] + " (folder: " + args[2] + ")");
        } else if (args.length == 2 && args[0].equals("stop")) {
            stop(Integer.parseInt(args[1]));
        } else {
            throw new IllegalArgumentException("usage: EmbeddedRedisServer start <port> <folder> | stop <port>");
        }
    }

    /** Starts Redis on {@code port}, its binary and log in {@code folder}; returns once it answers PING. */
    public static Process start(int port, Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path binary = folder.resolve("redis-server");
        if (!Files.isExecutable(binary)) {
            String resource = "/redis-server-7.0.15-" + platform();
            try (InputStream in = EmbeddedRedisServer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no Redis binary for this machine in embedded-redis: " + resource);
                }
                Path partial = folder.resolve("redis-server.partial");
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                partial.toFile().setExecutable(true);
                Files.move(partial, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Path log = folder.resolve("redis-" + port + ".log");
        Process redis = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!answers(port)) {
            if (!redis.isAlive()) {
                throw new IllegalStateException("Redis exited at start (" + redis.exitValue() + "); see " + log);
            }
            if (System.nanoTime() > deadline) {
                redis.destroyForcibly();
                throw new IllegalStateException("Redis did not answer on port " + port + " within 20 s; see " + log);
            }
            Thread.sleep(50);
        }
        return redis;
    }

    /** Shuts the Redis on {@code port} down without saving; returns once the port is closed. */
    public static void stop(int port) throws InterruptedException {
        try (Socket s = connect(port)) {
            s.getOutputStream().write("SHUTDOWN NOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            s.getInputStream().read(); // closed by the server as it exits
        } catch (IOException notRunning) {
            return;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (answers(port) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Whether a Redis answers PING on {@code port}. */
    public static boolean answers(int port) {
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] pong = s.getInputStream().readNBytes(7);
            return new String(pong, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "386";
        };
        if (os.contains("mac")) {
            return "darwin-" + cpu;
        }
        if (!os.contains("linux")) {
            throw new UncheckedIOException(new IOException("embedded-redis has no Redis for " + os));
        }
        return "linux-" + cpu;
    }
}
