package dev.rivulet.it.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.HubServer;
import dev.rivulet.testing.Poll;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A thousand members join one room at once, with the default queue: presence is announced in
 * batches, so nobody's queue overflows and nobody is closed, and once the joins settle every
 * member sees the whole room.
 */
class ChatJoinStormIT {

    private static final int MEMBERS = 1000;
    /** Announcements a member may get while the room fills: a handful a second, not one per join. */
    private static final int MOST_ANNOUNCEMENTS = 200;

    @Test
    void aThousandMembersJoinAtOnceAndEachSeesTheWholeRoom() throws Exception {
        String room = HubServer.room("storm");
        String path = "/ws/chat/" + room;
        double slowBefore = HubServer.metric(HubServer.metrics(), "rivulet_connections_closed_total",
                "transport", "websocket", "reason", "slow");
        HttpClient crowd = HttpClient.newHttpClient();
        List<CompletableFuture<ChatClient<JsonObject>>> connecting = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            connecting.add(ChatClient.connectAsync(crowd, path + "?name=m" + i, ChatClient::json));
        }
        List<ChatClient<JsonObject>> members = new ArrayList<>();
        try {
            for (CompletableFuture<ChatClient<JsonObject>> c : connecting) {
                members.add(c.get(ChatClient.WAIT.toSeconds() * 3, TimeUnit.SECONDS));
            }
            Set<String> everyone = new HashSet<>();
            for (int i = 0; i < MEMBERS; i++) {
                everyone.add("m" + i);
            }
            for (ChatClient<JsonObject> m : members) {
                JsonObject presence = ChatClient.expect(m, "presence");
                String you = presence.getString("you");
                Set<String> view = new HashSet<>(ChatClient.names(presence, "users"));
                assertTrue(view.contains(you), you + " is in its own presence list");
                ChatClient.expect(m, "history");
                int announcements = 0;
                while (!view.equals(everyone)) {
                    JsonObject f = m.frames.poll(ChatClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    if (f == null) {
                        Set<String> missing = new HashSet<>(everyone);
                        missing.removeAll(view);
                        Set<String> extra = new HashSet<>(view);
                        extra.removeAll(everyone);
                        fail(you + " sees " + view.size() + " members after " + announcements + " announcements; missing "
                                + missing.stream().limit(10).toList() + " (" + missing.size() + "), extra " + extra);
                    }
                    if (!ChatClient.is(f, "presence_diff")) {
                        fail(you + " got " + f + " while the room filled");
                    }
                    view.removeAll(ChatClient.names(f, "left"));
                    view.addAll(ChatClient.names(f, "joined"));
                    announcements++;
                }
                assertTrue(announcements <= MOST_ANNOUNCEMENTS, you + " got " + announcements + " announcements");
                assertFalse(m.closed.isDone(), you + " was closed: " + m.closeReason);
            }
            double slow = HubServer.metric(HubServer.metrics(), "rivulet_connections_closed_total",
                    "transport", "websocket", "reason", "slow") - slowBefore;
            assertEquals(0, slow, "no member was closed as too slow");
            assertEquals(MEMBERS, HubServer.subscribers("chat/" + room));
        } finally {
            for (ChatClient<JsonObject> m : members) {
                m.socket.abort();
            }
        }
        Poll.until("the room to empty", ChatClient.WAIT, () -> HubServer.subscribers("chat/" + room), n -> n == 0);
    }
}
