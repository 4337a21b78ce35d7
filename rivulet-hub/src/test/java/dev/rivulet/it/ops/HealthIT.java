package dev.rivulet.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A running hub reports itself live, ready and started, and says what it checked. */
class HealthIT {

    private static JsonObject check(String path, String name) {
        HttpResponse<String> r = HubServer.get(path);
        assertEquals(200, r.statusCode(), () -> path + " answered " + r.body());
        JsonObject body = HubServer.json(r.body()).asJsonObject();
        assertEquals("UP", body.getString("status"), r.body());
        JsonObject found = body.getJsonArray("checks").stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " has no check " + name + ": " + r.body()));
        assertEquals("UP", found.getString("status"), r.body());
        return found.getJsonObject("data");
    }

    @Test
    void liveMeansTheServerStillRunsWorkAndHasNoDeadlock() {
        JsonObject data = check("/health/live", "rivulet-live");
        assertEquals("UP", data.getString("writers"));
        assertEquals(0, data.getInt("deadlocked_threads"));
    }

    @Test
    void readyMeansStartedNotDrainingAndTheBrokerAndDatabaseReachable() {
        JsonObject data = check("/health/ready", "rivulet-ready");
        assertEquals(false, data.getBoolean("starting"));
        assertEquals(false, data.getBoolean("draining"));
        assertEquals("UP", data.getString("broker"));
        assertEquals("UP", data.getString("database"));
    }

    @Test
    void startedOnceTheApplicationIsUp() {
        check("/health/started", "rivulet-started");
    }
}
