package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.chat.ChatClient;
import dev.rivulet.it.chat.RawWebSocket;
import dev.rivulet.it.topics.EventStreamClient.Format;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of clients that never read, beside clients that do: every publish is answered, no
 * platform thread is taken by a stalled client (each waits on a virtual thread of its own), the
 * readers get every event once and in order, and the stalled ones are closed as too slow.
 */
class StalledSubscribersIT {

    private static final int EVENTS = 20_000;
    private static final int PUBLISHERS = 4;
    private static final String PAD = "x".repeat(2000);
    /** Platform threads the server may add while it publishes: its pool serves the publishers, not the stalled. */
    private static final int HANDFUL = 10;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    /** The server's live platform threads (the JVM's thread count; virtual threads are not in it). */
    private static double platformThreads() {
        return HubServer.metric(HubServer.metrics(), "thread_count", "mp_scope", "base");
    }

    /**
     * Publishes {@code count} events to {@code topic} from several publishers while it samples the
     * server's platform threads every 200 ms: every publish must be answered, and the threads stay
     * within a handful of where they were although {@code stalled} do not read.
     */
    private static List<Published> publishWatchingThreads(String topic, int count, IntFunction<String> data,
                                                          String stalled) {
        double before = platformThreads();
        AtomicLong most = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        List<Published> published;
        try {
            sampler.scheduleWithFixedDelay(() -> most.accumulateAndGet((long) platformThreads(), Math::max),
                    0, 200, TimeUnit.MILLISECONDS);
            published = HubServer.publishMany(topic, count, PUBLISHERS, data);
        } finally {
            sampler.shutdownNow();
        }
        assertEquals(count, published.size(), "every publish was answered");
        assertTrue(most.get() <= before + HANDFUL, "platform threads rose from " + before + " to " + most.get()
                + " while " + stalled + " did not read");
        return published;
    }

    /**
     * {@code data} handed out no further than {@code window} ahead of what {@code reader} has
     * received: whatever the machine's speed, the reader's queue on the server (512 by default)
     * never fills, so only the members that do not read can overflow theirs.
     */
    private static IntFunction<String> within(int window, ChatClient<?> reader, IntFunction<String> data) {
        long before = reader.received();
        return i -> {
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (reader.received() - before < i - window) {
                if (System.nanoTime() > deadline) {
                    fail("the reader received " + reader.received() + " frames and stopped; message #" + i
                            + " waits for it");
                }
                LockSupport.parkNanos(1_000_000);
            }
            return data.apply(i);
        };
    }

    private static double closed(String transport, String reason) {
        return HubServer.metric(HubServer.metrics(), "rivulet_connections_closed_total", "transport", transport,
                "reason", reason);
    }

    private static double open(String transport) {
        return HubServer.metric(HubServer.metrics(), "rivulet_connections", "transport", transport);
    }

    @Test
    void fiveHundredSseSubscribersThatNeverReadHoldNoThreadAndDelayNobody() throws Exception {
        int stalledCount = 500;
        String topic = TopicNames.unique("stalled");
        String path = "/api/topics/" + topic;
        double slowBefore = closed("sse", "slow");
        double sseBefore = open("sse");
        List<EventStreamClient> stalled = new ArrayList<>();
        ResumingSubscriber reader = null;
        try {
            for (int i = 0; i < stalledCount; i++) {
                // A small receive window: its socket fills after a few events, and it never reads.
                stalled.add(EventStreamClient.connect(path, Format.SSE, null, 4096));
            }
            reader = ResumingSubscriber.start(path, WITHIN);
            HubServer.awaitSubscribers(topic, stalledCount + 1, WITHIN);
            List<Published> published = publishWatchingThreads(topic, EVENTS,
                    i -> "{\"n\":" + i + ",\"pad\":\"" + PAD + "\"}", stalledCount + " SSE subscribers");

            reader.stopAfter(published.get(EVENTS - 1).position());
            assertTrue(reader.awaitFinished(Duration.ofSeconds(90)), "the reader did not get the last event; it has "
                    + reader.ids().size() + " after " + reader.connections() + " connection(s)");
            assertNull(reader.failure());
            assertEquals(List.of(), reader.unexpected(), "no gap or lagged notice for the reader");
            assertEquals(published.stream().map(Published::position).toList(),
                    reader.ids().stream().distinct().toList(), "every event once, in id order");

            // Each stalled subscriber overflowed its queue and was let go as too slow; its connection
            // ends once its blocked write passes the write deadline.
            Poll.until("the stalled subscribers to be closed as slow", WITHIN,
                    () -> closed("sse", "slow") - slowBefore, n -> n >= stalledCount);
            HubServer.awaitSubscribers(topic, 1, WITHIN);
            reader.close();
            Poll.until("their connections to end", WITHIN, () -> open("sse"), n -> n <= sseBefore);
        } finally {
            for (EventStreamClient s : stalled) {
                s.abort();
            }
            if (reader != null) {
                reader.close();
            }
        }
    }

    @Test
    void twoHundredChatMembersThatNeverReadHoldNoThreadAndDelayTheRoom() throws Exception {
        int stalledCount = 200;
        String room = HubServer.room("stalled");
        String path = "/ws/chat/" + room;
        double slowBefore = closed("websocket", "slow");
        List<RawWebSocket> stalled = new ArrayList<>();
        // Alive but not reading: they send pongs of their own, so only their queues can end them.
        Thread heartbeat = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    for (RawWebSocket s : List.copyOf(stalled)) {
                        try {
                            s.sendPong();
                        } catch (IOException closed) {
                            // the server has let it go
                        }
                    }
                    Thread.sleep(HubServer.PING_INTERVAL.toMillis() / 2);
                }
            } catch (InterruptedException stopped) {
                // the test is done with them
            }
        }, "stalled-members-heartbeat");
        heartbeat.setDaemon(true);
        try (ChatClient<JsonObject> reader = ChatClient.connect(path + "?name=reader")) {
            ChatClient.expect(reader, "presence");
            ChatClient.expect(reader, "history");
            for (int i = 0; i < stalledCount; i++) {
                stalled.add(RawWebSocket.connect(path + "?name=stalled" + i));
            }
            heartbeat.start();
            HubServer.awaitSubscribers("chat/" + room, stalledCount + 1, WITHIN);
            int messages = EVENTS / 4;
            // The publishers stay within 256 messages of the reader: one the publishers outran on a
            // busy machine would rightly be closed as slow once its queue is full.
            List<Published> published = publishWatchingThreads("chat/" + room, messages,
                    within(256, reader, i -> "{\"user\":\"p\",\"text\":\"" + i + " " + PAD + "\"}"),
                    stalledCount + " chat members");

            // The reader gets every message once, in order (presence changes may come between).
            int next = 0;
            while (next < messages) {
                JsonObject f = reader.next();
                switch (f.getString("type")) {
                    case "message" -> {
                        assertEquals(published.get(next).id(), f.getString("id"), "message #" + next + " in id order");
                        next++;
                    }
                    case "presence_diff" -> { }
                    default -> fail("the reader got " + f);
                }
            }
            Poll.until("the stalled members to be closed as slow", WITHIN,
                    () -> closed("websocket", "slow") - slowBefore, n -> n >= stalledCount);
            HubServer.awaitSubscribers("chat/" + room, 1, WITHIN);
        } finally {
            heartbeat.interrupt();
            for (RawWebSocket s : stalled) {
                s.close();
            }
        }
    }
}
