package dev.rivulet.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.hub.TopicSelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token the README's quick start gives works on a hub that runs on the development secret. */
class ReadmeTokenTest {

    @Test
    void theQuickStartTokenMayPublishAndSubscribeEverything() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String token = readme.lines().filter(l -> l.startsWith("TOKEN=")).findFirst()
                .orElseThrow(() -> new AssertionError("the README's quick start sets no TOKEN")).substring("TOKEN=".length());
        TokenVerifier verifier = new TokenVerifier(
                List.of(TokenKey.hmac(AccessConfig.DEVELOPMENT_SECRET.getBytes(StandardCharsets.UTF_8))),
                Duration.ZERO, Clock.systemUTC());
        Grant grant = verifier.verify(token);
        assertEquals(List.of(TopicSelector.parse("*")), grant.publish());
        assertEquals(List.of(TopicSelector.parse("*")), grant.subscribe());
        assertTrue(grant.mayPublish("https://example.com/books/42"));
    }
}
