package dev.rivulet.it.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.HubServer.Published;
import dev.rivulet.it.TopicNames;
import dev.rivulet.it.poll.PollClient.Answer;
import dev.rivulet.testing.Poll;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A waiting poll holds no thread: a thousand of them wait on the server's async I/O and timers,
 * counted as connections, and the publish that wakes them answers every one.
 */
class WaitingPollsIT {

    private static final int POLLS = 1000;
    /** Platform threads the server may add while the polls arrive: its pool serves the requests, not the waiting. */
    private static final int HANDFUL = 10;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    private static double platformThreads() {
        return HubServer.metric(HubServer.metrics(), "thread_count", "mp_scope", "base");
    }

    private static double longPolls() {
        return HubServer.metric(HubServer.metrics(), "rivulet_connections", "transport", "longpoll");
    }

    @Test
    void aThousandWaitingPollsHoldNoThreadAndOnePublishAnswersThemAll() throws Exception {
        String topic = TopicNames.unique("poll-many");
        String since = PollClient.now(topic);
        double threadsBefore = platformThreads();
        double pollsBefore = longPolls();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build()) {
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>(POLLS);
            for (int i = 0; i < POLLS; i++) {
                waiting.add(PollClient.pollAsync(client, topic, "since=" + since + "&timeout=110"));
            }
            Poll.until(POLLS + " polls waiting", WITHIN, WaitingPollsIT::longPolls, n -> n >= pollsBefore + POLLS);
            double threadsWaiting = platformThreads();
            assertTrue(threadsWaiting <= threadsBefore + HANDFUL, "platform threads rose from " + threadsBefore
                    + " to " + threadsWaiting + " with " + POLLS + " polls waiting");
            assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone), "every poll still waits");

            Published p = HubServer.publish(topic, "{\"wake\":true}");
            for (CompletableFuture<HttpResponse<String>> w : waiting) {
                assertEquals(List.of(p.id()), Answer.of(w.get(WITHIN.toSeconds(), TimeUnit.SECONDS)).ids());
            }
        }
        Poll.until("the answered polls to leave the connection count", WITHIN, WaitingPollsIT::longPolls,
                n -> n <= pollsBefore);
    }
}
