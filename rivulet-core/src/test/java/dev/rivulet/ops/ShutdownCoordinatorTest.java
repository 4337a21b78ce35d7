package dev.rivulet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.broker.MemoryBroker;
import dev.rivulet.gate.ConnectionGate;
import dev.rivulet.gate.GateConfig;
import dev.rivulet.gate.Refusal;
import dev.rivulet.hub.ControlEvent;
import dev.rivulet.hub.Drainable;
import dev.rivulet.hub.DrainingException;
import dev.rivulet.hub.Hub;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Overflow;
import dev.rivulet.hub.Traffic;
import dev.rivulet.hub.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ShutdownCoordinatorTest {

    private final Lifecycle lifecycle = new Lifecycle();
    private final ConnectionGate gate = new ConnectionGate(GateConfig.of(100, 0, Duration.ofSeconds(5), 0, 1), Traffic.NONE);
    private final Hub hub;

    ShutdownCoordinatorTest() {
        HubConfig config = HubConfig.of(16, Overflow.DISCONNECT, 100, Duration.ofHours(1), 1024);
        hub = new Hub(new MemoryBroker(config), config);
    }

    /** A transport whose connections leave when told, or (stubborn) never do. */
    private static final class FakeTransport implements Drainable {
        final List<ControlEvent> farewells = new ArrayList<>();
        int open;
        final boolean stubborn;
        boolean forced;

        FakeTransport(int open, boolean stubborn) {
            this.open = open;
            this.stubborn = stubborn;
        }

        @Override
        public synchronized void drain(Supplier<ControlEvent> farewell) {
            for (int i = 0; i < open; i++) {
                farewells.add(farewell.get());
            }
            if (!stubborn) {
                open = 0;
            }
        }

        @Override
        public synchronized int openConnections() {
            return open;
        }

        @Override
        public synchronized void forceClose() {
            forced = true;
            open = 0;
        }
    }

    private ShutdownCoordinator coordinator(Duration grace, Drainable... transports) {
        return new ShutdownCoordinator(ShutdownConfig.of(grace, Duration.ofMillis(1000), Duration.ofMillis(5000), null),
                lifecycle, gate, hub, List.of(transports));
    }

    @Test
    void aDrainTurnsReadinessDownClosesTheDoorsAndSaysGoodbyeToEveryConnection() {
        FakeTransport streams = new FakeTransport(3, false);
        FakeTransport chat = new FakeTransport(2, false);

        ShutdownCoordinator.Report report = coordinator(Duration.ofSeconds(5), streams, chat).drain();

        assertTrue(lifecycle.draining());
        Refusal refused = assertThrows(Refusal.class, () -> gate.admit(Transport.SSE, "ip:a"));
        assertEquals("draining", refused.slug());
        assertThrows(DrainingException.class, () -> hub.publish("t", null, "{}", false));
        assertEquals(3, streams.farewells.size());
        assertEquals(2, chat.farewells.size());
        assertEquals(5, report.connections());
        assertEquals(0, report.forced());
        assertFalse(streams.forced);
    }

    @Test
    void everyFarewellIsAShutdownNoticeWithAJitteredHintInTheConfiguredRange() {
        FakeTransport streams = new FakeTransport(200, false);
        coordinator(Duration.ofSeconds(5), streams).drain();

        long distinct = streams.farewells.stream().mapToLong(ControlEvent::retryMillis).distinct().count();
        for (ControlEvent f : streams.farewells) {
            assertEquals("shutdown", f.type());
            assertTrue(f.retryMillis() >= 1000 && f.retryMillis() <= 5000, "retry_ms " + f.retryMillis());
            assertEquals("{\"retry_ms\":" + f.retryMillis() + "}", f.data());
        }
        assertTrue(distinct > 50, "200 clients must not all be told the same moment; distinct hints: " + distinct);
    }

    @Test
    void connectionsStillOpenWhenTheGraceRunsOutAreClosed() {
        FakeTransport stubborn = new FakeTransport(2, true);
        long start = System.nanoTime();

        ShutdownCoordinator.Report report = coordinator(Duration.ofSeconds(1), stubborn).drain();

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(stubborn.forced);
        assertEquals(2, report.forced());
        assertTrue(tookMillis >= 1000 && tookMillis < 3000, "the drain took " + tookMillis + " ms for a 1 s grace");
    }

    @Test
    void aSecondDrainWaitsForTheFirstAndGetsItsReport() throws Exception {
        FakeTransport stubborn = new FakeTransport(1, true);
        ShutdownCoordinator coordinator = coordinator(Duration.ofSeconds(1), stubborn);
        CompletableFuture<ShutdownCoordinator.Report> first = CompletableFuture.supplyAsync(coordinator::drain);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!coordinator.draining()) {
            assertTrue(System.nanoTime() - deadline < 0, "the first drain did not begin within 5 s");
            Thread.onSpinWait();
        }

        ShutdownCoordinator.Report second = coordinator.drain();

        assertSame(first.get(5, TimeUnit.SECONDS), second);
        assertEquals(1, stubborn.farewells.size(), "the connections were told once");
    }
}
