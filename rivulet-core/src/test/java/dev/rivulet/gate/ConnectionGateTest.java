package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rivulet.hub.RecordingTraffic;
import dev.rivulet.hub.Subscriber.CloseReason;
import dev.rivulet.hub.Transport;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {

    private final RecordingTraffic traffic = new RecordingTraffic();

    private ConnectionGate gate(int max, int perClient) {
        return new ConnectionGate(GateConfig.of(max, perClient, Duration.ofSeconds(7), 0, 1), traffic);
    }

    @Test
    void connectionsOfEveryTransportShareTheNodeLimit() {
        ConnectionGate gate = gate(3, 0);
        gate.admit(Transport.SSE, "ip:a");
        gate.admit(Transport.NDJSON, "ip:b");
        Permit ws = gate.admit(Transport.WEBSOCKET, "ip:c");

        Refusal r = assertThrows(Refusal.class, () -> gate.admit(Transport.SSE, "ip:d"));
        assertEquals(503, r.status());
        assertEquals("connection-limit", r.slug());
        assertEquals(Duration.ofSeconds(7), r.retryAfter());

        ws.release(CloseReason.CLIENT_GONE);
        gate.admit(Transport.SSE, "ip:d");
        assertEquals(3, gate.open());
        assertEquals(2, gate.open(Transport.SSE));
        assertEquals(0, gate.open(Transport.WEBSOCKET));
    }

    @Test
    void oneClientIsHeldToItsOwnLimitWhileOthersStillConnect() {
        ConnectionGate gate = gate(100, 2);
        Permit first = gate.admit(Transport.SSE, "ip:a");
        gate.admit(Transport.WEBSOCKET, "ip:a");

        Refusal r = assertThrows(Refusal.class, () -> gate.admit(Transport.NDJSON, "ip:a"));
        assertEquals("client-connection-limit", r.slug());
        assertEquals(503, r.status());
        gate.admit(Transport.SSE, "ip:b");

        first.release(CloseReason.CLIENT_GONE);
        gate.admit(Transport.NDJSON, "ip:a");
        assertEquals(3, gate.open());
    }

    @Test
    void aPermitIsReleasedOnceAndCountedByReason() {
        ConnectionGate gate = gate(10, 1);
        Permit p = gate.admit(Transport.SSE, "ip:a");

        p.release(CloseReason.SLOW);
        p.release(CloseReason.CLIENT_GONE);

        assertEquals(0, gate.open());
        assertEquals(1, traffic.count("closed:sse:slow"));
        assertEquals(0, traffic.count("closed:sse:client"));
        gate.admit(Transport.SSE, "ip:a");
    }

    @Test
    void aWithdrawnPermitFreesItsPlaceWithoutCountingAClose() {
        ConnectionGate gate = gate(1, 1);
        gate.admit(Transport.SSE, "ip:a").withdraw();

        gate.admit(Transport.SSE, "ip:a");
        assertEquals(0, traffic.count("closed:sse:client") + traffic.count("closed:sse:shutdown"));
    }

    @Test
    void aClosedGateRefusesEveryTransportWithTheDrainRetryAfter() {
        ConnectionGate gate = gate(10, 0);
        gate.close(Duration.ofSeconds(3));

        for (Transport t : Transport.values()) {
            Refusal r = assertThrows(Refusal.class, () -> gate.admit(t, "ip:a"));
            assertEquals(503, r.status());
            assertEquals("draining", r.slug());
            assertEquals(Duration.ofSeconds(3), r.retryAfter());
        }
        assertEquals(0, gate.open());
    }
}
