package dev.rivulet.bench;

import java.net.InetSocketAddress;

/**
 * The benchmark's scenarios over subscribers that all stay connected while the publish rate steps
 * up: N SSE subscribers on one topic, a WebSocket room, one SSE subscriber on each of many topics.
 */
final class Fanout {

    private final Target target;
    private final InetSocketAddress address;
    /** Where events are published: the subscribers' node, or another node of its cluster. */
    private final InetSocketAddress publishTo;
    private final double stepSeconds;
    private final int publishers;

    Fanout(Target target, double stepSeconds, int publishers) {
        this(target, target, stepSeconds, publishers);
    }

    /** Subscribers on {@code target}, publishers on {@code publishOn} (two nodes of one cluster). */
    Fanout(Target target, Target publishOn, double stepSeconds, int publishers) {
        this.target = target;
        this.address = new InetSocketAddress("127.0.0.1", target.port());
        this.publishTo = new InetSocketAddress("127.0.0.1", publishOn.port());
        this.stepSeconds = stepSeconds;
        this.publishers = publishers;
    }

    /** N SSE subscribers on one topic. */
    SteppedRun oneTopic(int subscribers, double[] rates) throws Exception {
        String topic = "fanout-" + subscribers;
        byte[] request = target.sseRequest(topic);
        return measure("sse-fanout", subscribers, StreamConnection.Kind.SSE, i -> request, rates, subscribers,
                i -> topic, false);
    }

    /** One SSE subscriber on each of {@code topics} topics; publishes go round the topics. */
    SteppedRun manyTopics(int topics, double[] rates) throws Exception {
        return measure("many-topics", topics, StreamConnection.Kind.SSE, i -> target.sseRequest("topic-" + i), rates,
                1, i -> "topic-" + (i % topics), false);
    }

    /** A WebSocket room of {@code members}; messages are published to the room's topic over HTTP. */
    SteppedRun room(int members, double[] rates) throws Exception {
        String room = "bench" + members;
        String topic = target.roomTopic(room);
        return measure("websocket-room", members, StreamConnection.Kind.WEBSOCKET,
                i -> target.webSocketRequest(room, "m" + i), rates, members, i -> topic, true);
    }

    private SteppedRun measure(String scenario, int n, StreamConnection.Kind kind,
                               java.util.function.IntFunction<byte[]> request, double[] rates, int perEvent,
                               java.util.function.IntFunction<String> topicOf, boolean roomMessage) throws Exception {
        System.err.printf("  %s, %d subscribers%n", scenario, n);
        try (StreamClients clients = new StreamClients(2)) {
            long start = System.nanoTime();
            clients.open(address, kind, n, request);
            clients.awaitOpen(n, 120_000);
            double openSeconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("    %d of %d open in %.1f s (%d refused)%n", clients.opened.get(), n, openSeconds,
                    clients.refused.get());
            // Let the joins (a room announces each member to the others) and openings settle.
            Thread.sleep(kind == StreamConnection.Kind.WEBSOCKET ? 3000 : 500);
            RateSteps steps = new RateSteps(clients, new Publisher(publishTo, target, publishers), stepSeconds);
            steps.warmUp(Math.max(1, rates[0] / 2), topicOf, roomMessage);
            return new SteppedRun(scenario, n, clients.live(), openSeconds,
                    steps.run(rates, perEvent, topicOf, roomMessage));
        }
    }
}
