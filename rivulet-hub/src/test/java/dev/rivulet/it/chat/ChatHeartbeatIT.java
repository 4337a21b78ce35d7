package dev.rivulet.it.chat;

import static dev.rivulet.it.chat.ChatClient.expect;
import static dev.rivulet.it.chat.ChatClient.joined;
import static dev.rivulet.it.chat.ChatClient.left;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat at its edges, with the test server's short settings (rivulet.chat.ping-interval
 * and rivulet.chat.idle-timeout from the pom): pings come every interval, a client that answers
 * them stays past the idle timeout, and one that vanishes without a close frame leaves the room
 * within it, not before.
 */
class ChatHeartbeatIT {

    /** The sweep runs four times an interval; allow that, and a scheduling hiccup, past a deadline. */
    private static final Duration SLACK = HubServer.PING_INTERVAL.dividedBy(4).plusSeconds(2);

    @Test
    void aClientThatAnswersPingsOutlivesTheIdleTimeoutAndASilentOneLeavesWithinIt() throws Exception {
        String room = HubServer.room("heartbeat");
        try (ChatClient<JsonObject> alive = ChatClient.connect("/ws/chat/" + room + "?name=alive")) {
            long opened = System.nanoTime();
            expect(alive, "presence");
            expect(alive, "history");

            long joined;
            long left;
            try (RawWebSocket silent = RawWebSocket.connect("/ws/chat/" + room + "?name=silent")) {
                // It never reads and never writes again: the server's pings go unanswered.
                alive.await(joined("silent"));
                joined = System.nanoTime();
                alive.await(left("silent"));
                left = System.nanoTime();
            }
            Duration silentFor = Duration.ofNanos(left - joined);
            assertTrue(silentFor.compareTo(HubServer.IDLE_TIMEOUT.minusMillis(300)) >= 0,
                    "left after " + silentFor + ", before the idle timeout " + HubServer.IDLE_TIMEOUT);
            assertTrue(silentFor.compareTo(HubServer.IDLE_TIMEOUT.plus(SLACK)) <= 0,
                    "left after " + silentFor + ", well past the idle timeout " + HubServer.IDLE_TIMEOUT);

            int wanted = (int) HubServer.IDLE_TIMEOUT.dividedBy(HubServer.PING_INTERVAL) + 1;
            List<Long> pings = alive.awaitPings(wanted, HubServer.PING_INTERVAL.multipliedBy(wanted).plus(SLACK));
            assertTrue(pings.size() >= wanted, "pings within the wait: " + pings.size());
            for (int i = 1; i < pings.size(); i++) {
                Duration gap = Duration.ofNanos(pings.get(i) - pings.get(i - 1));
                assertTrue(gap.compareTo(HubServer.PING_INTERVAL.minusMillis(200)) >= 0,
                        "pings " + gap + " apart, more often than every " + HubServer.PING_INTERVAL);
            }
            assertTrue(Duration.ofNanos(System.nanoTime() - opened).compareTo(HubServer.IDLE_TIMEOUT) > 0);
            assertFalse(alive.closed.isDone(), "a client that answers pings is never idle");
            alive.say("still here");
            assertEquals("still here", alive.await(ChatClient.type("message")).getString("text"));
        }
    }
}
