package dev.rivulet.it.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** How the hub serves its console: the pages with their security headers, the chart library, the stats stream. */
class ConsoleServingIT {

    private static void assertSecurityHeaders(HttpResponse<String> r) {
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("style-src 'self'")
                && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(""));
    }

    @Test
    void theConsoleIsAtTheRootWithItsSecurityHeaders() {
        for (String path : List.of("/", "/index.html", "/console/app.js", "/console/style.css",
                "/webjars/uplot/1.6.30/dist/uPlot.esm.js")) {
            HttpResponse<String> r = HubServer.get(path);
            assertEquals(200, r.statusCode(), path);
            assertSecurityHeaders(r);
        }
        assertTrue(HubServer.get("/").body().contains("<main id=\"view\""));
        assertTrue(HubServer.get("/console/app.js").headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        HttpResponse<String> page = HubServer.get("/");
        assertFalse(page.body().contains("<script>") || page.body().contains("style="), "no inline script or style");
    }

    @Test
    void anErrorAnswerCarriesNoLibertyArtifactHeader() {
        HttpResponse<String> r = HubServer.get("/no/such/page");
        HubServer.assertProblem(r, 404, "not-found");
        assertTrue(r.headers().map().keySet().stream().noneMatch(h -> h.startsWith("$")), r.headers().map().toString());
    }

    @Test
    void theStatsStreamSendsSamplesAsJsonEvents() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(HubServer.uri("/api/stats")).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<Stream<String>> r = HubServer.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonObject> samples = new ArrayList<>();
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            String event = null;
            while (samples.size() < 2 && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    assertEquals("stats", event);
                    samples.add(HubServer.json(line.substring(6)).asJsonObject());
                }
            }
        }
        for (JsonObject s : samples) {
            assertTrue(s.getBoolean("live"), s.toString());
            assertTrue(s.getJsonObject("connections").getInt("sse") >= 1, "this stream is an SSE connection: " + s);
            for (String key : List.of("ready", "checks", "published_per_second", "delivered_per_second",
                    "closed_slow", "broker", "time")) {
                assertTrue(s.containsKey(key), key + " in " + s);
            }
        }
        assertEquals(2, samples.size());
        assertFalse(samples.get(0).getString("time").equals(samples.get(1).getString("time")), "two samples, not one twice");
        HubServer.assertProblem(HubServer.post("/api/stats", "application/json", "{}"), 405, "method-not-allowed");
    }
}
