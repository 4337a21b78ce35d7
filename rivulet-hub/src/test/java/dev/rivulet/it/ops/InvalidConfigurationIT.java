package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.ServerProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configuration value out of range stops the application from starting, and the log says which. */
class InvalidConfigurationIT {

    @Test
    void anOutOfRangeValueFailsStartupWithAMessageNamingTheKeyAndTheRange() {
        try (ServerProcess server = ServerProcess.liberty("rivulet-badconfig",
                Map.of("RIVULET_CONNECTIONS_MAX", "-5"))) {
            server.awaitOutput(
                    "Invalid configuration: rivulet.connections.max must be a whole number from 1 to 10000000, but was '-5'",
                    Duration.ofMinutes(2));
            // The server itself runs (so the message is seen); the application does not serve.
            server.awaitOutput("CWWKF0011I", Duration.ofMinutes(1));

            HttpResponse<String> started = server.get("/health/started");
            assertEquals(503, started.statusCode(), started.body());
            HttpResponse<String> ready = server.get("/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"DOWN\""), ready.body());
            assertEquals(404, server.get("/api/topics").statusCode(), "nothing of the application is served");
        }
    }

    @Test
    void anInvalidLogsValueFailsStartupToo() {
        try (ServerProcess server = ServerProcess.liberty("rivulet-badlogsconfig",
                Map.of("RIVULET_LOGS_FETCH_SIZE", "0"))) {
            server.awaitOutput(
                    "Invalid configuration: rivulet.logs.fetch-size must be a whole number from 1 to 100000, but was '0'",
                    Duration.ofMinutes(2));
            server.awaitOutput("CWWKF0011I", Duration.ofMinutes(1));

            assertEquals(503, server.get("/health/started").statusCode());
            assertEquals(404, server.get("/api/logs").statusCode(), "nothing of the application is served");
        }
    }
}
