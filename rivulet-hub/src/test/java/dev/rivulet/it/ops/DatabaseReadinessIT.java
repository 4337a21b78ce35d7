package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.ServerProcess;
import dev.rivulet.testing.Poll;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the database: a node whose PostgreSQL goes away reports DOWN and names the
 * database, and comes back UP by itself once the database is back. The test runs a PostgreSQL and
 * a server of its own, so the shared servers' databases are never stopped under other tests.
 */
class DatabaseReadinessIT {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void readinessIsDownWhileTheDatabaseIsUnavailableAndUpWhenItIsBack() throws Exception {
        Path data = Path.of(System.getProperty("it.build.dir"), "it-servers", "db-readiness-postgres");
        delete(data);
        EmbeddedPostgres postgres = start(0, data);
        int port = postgres.getPort();
        try (ServerProcess server = ServerProcess.liberty("rivulet-dbready", Map.of(
                "RIVULET_DB_URL", "jdbc:postgresql://localhost:" + port + "/postgres",
                "RIVULET_DB_USER", "postgres",
                "RIVULET_DB_PASSWORD", "postgres"))) {
            server.awaitReady(Duration.ofMinutes(2));
            assertEquals("UP", readiness(server).getString("database"));

            postgres.close(); // a fast shutdown: PostgreSQL ends every session it has
            HttpResponse<String> down = Poll.until("readiness to go DOWN", WITHIN,
                    () -> server.get("/health/ready"), r -> r.statusCode() == 503);
            JsonObject data503 = checkData(down);
            assertTrue(data503.getString("database").startsWith("DOWN: "), down.body());
            assertEquals("UP", data503.getString("broker"), "only the database is named: " + down.body());
            assertEquals(false, data503.getBoolean("draining"), down.body());

            postgres = start(port, data);
            HttpResponse<String> up = Poll.until("readiness to come back UP", WITHIN,
                    () -> server.get("/health/ready"), r -> r.statusCode() == 200);
            assertEquals("UP", checkData(up).getString("database"), up.body());
        } finally {
            postgres.close();
            delete(data);
        }
    }

    private static JsonObject readiness(ServerProcess server) {
        HttpResponse<String> r = server.get("/health/ready");
        assertEquals(200, r.statusCode(), r.body());
        return checkData(r);
    }

    private static JsonObject checkData(HttpResponse<String> r) {
        return HubServer.json(r.body()).asJsonObject().getJsonArray("checks").stream()
                .map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals("rivulet-ready")).findFirst()
                .orElseThrow(() -> new AssertionError("no rivulet-ready check: " + r.body()))
                .getJsonObject("data");
    }

    /** PostgreSQL on {@code port} (0: any free one) over {@code data}, which it keeps when it stops. */
    private static EmbeddedPostgres start(int port, Path data) throws IOException {
        EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                .setDataDirectory(data.toFile())
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "off");
        if (port > 0) {
            b.setPort(port);
        }
        return b.start();
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
