package dev.rivulet.chat;

import dev.rivulet.config.ConfigValue;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Configuration of the WebSocket chat rooms: identity, history, limits and heartbeat. */
@ApplicationScoped
public class ChatConfig {

    @Inject
    @ConfigProperty(name = "rivulet.chat.anonymous", defaultValue = "true")
    String anonymousValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.history", defaultValue = "50")
    String historyValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.max-message-bytes", defaultValue = "65536")
    String maxMessageBytesValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.max-messages-per-second", defaultValue = "20")
    String maxMessagesPerSecondValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.ping-interval", defaultValue = "PT25S")
    String pingIntervalValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.idle-timeout", defaultValue = "PT60S")
    String idleTimeoutValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.presence-interval", defaultValue = "PT0.25S")
    String presenceIntervalValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.send-timeout", defaultValue = "PT10S")
    String sendTimeoutValue;

    @Inject
    @ConfigProperty(name = "rivulet.chat.presence-ttl", defaultValue = "PT30S")
    String presenceTtlValue;

    private boolean anonymous;
    private int history;
    private int maxMessageBytes;
    private int maxMessagesPerSecond;
    private Duration pingInterval;
    private Duration idleTimeout;
    private Duration presenceInterval;
    private Duration sendTimeout;
    private Duration presenceTtl;

    protected ChatConfig() {
    }

    /** A configuration with the given values, for code that runs without CDI (tests, tools). */
    static ChatConfig of(boolean anonymous, int history, int maxMessageBytes, int maxMessagesPerSecond,
                         Duration pingInterval, Duration idleTimeout) {
        ChatConfig c = new ChatConfig();
        c.anonymous = anonymous;
        c.history = history;
        c.maxMessageBytes = maxMessageBytes;
        c.maxMessagesPerSecond = maxMessagesPerSecond;
        c.pingInterval = pingInterval;
        c.idleTimeout = idleTimeout;
        c.presenceInterval = Duration.ofMillis(250);
        c.sendTimeout = Duration.ofSeconds(10);
        c.presenceTtl = Duration.ofSeconds(30);
        return c;
    }

    /** The same with a send timeout of its own. */
    static ChatConfig of(boolean anonymous, int history, int maxMessageBytes, int maxMessagesPerSecond,
                         Duration pingInterval, Duration idleTimeout, Duration sendTimeout) {
        ChatConfig c = of(anonymous, history, maxMessageBytes, maxMessagesPerSecond, pingInterval, idleTimeout);
        c.sendTimeout = sendTimeout;
        return c;
    }

    @PostConstruct
    void read() {
        anonymous = ConfigValue.bool("rivulet.chat.anonymous", anonymousValue);
        history = ConfigValue.intIn("rivulet.chat.history", historyValue, 0, 1000);
        maxMessageBytes = ConfigValue.intIn("rivulet.chat.max-message-bytes", maxMessageBytesValue, 128, 16 << 20);
        maxMessagesPerSecond = ConfigValue.intIn("rivulet.chat.max-messages-per-second", maxMessagesPerSecondValue,
                1, 10_000);
        pingInterval = ConfigValue.durationIn("rivulet.chat.ping-interval", pingIntervalValue,
                Duration.ofMillis(200), Duration.ofMinutes(10));
        idleTimeout = ConfigValue.durationIn("rivulet.chat.idle-timeout", idleTimeoutValue,
                Duration.ofMillis(500), Duration.ofHours(1));
        presenceInterval = ConfigValue.durationIn("rivulet.chat.presence-interval", presenceIntervalValue,
                Duration.ofMillis(10), Duration.ofSeconds(10));
        sendTimeout = ConfigValue.durationIn("rivulet.chat.send-timeout", sendTimeoutValue,
                Duration.ofMillis(100), Duration.ofMinutes(10));
        presenceTtl = ConfigValue.durationIn("rivulet.chat.presence-ttl", presenceTtlValue,
                Duration.ofSeconds(1), Duration.ofHours(1));
        // A client answers a ping within a round trip; a timeout no longer than the interval would
        // close connections that are answering every ping.
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw ConfigValue.invalid("rivulet.chat.idle-timeout", idleTimeoutValue,
                    "longer than rivulet.chat.ping-interval (" + pingInterval + ")");
        }
    }

    /**
     * In a cluster, how long a node holds its members' names in the shared roster before it renews
     * them (a third of it): the members of a node that dies leave within this.
     */
    public Duration presenceTtl() {
        return presenceTtl;
    }

    /** Whether a connection without a token may chat under a name it picks ({@code ?name=}). */
    public boolean anonymous() {
        return anonymous;
    }

    /** Messages in the history block a new joiner gets. */
    public int history() {
        return history;
    }

    /** Largest text frame a client may send, in bytes; a larger one closes the connection with 1009. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Sustained messages per second per connection; also the burst a connection at rest may send at once. */
    public int maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    /** How often the server pings each connection. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /** A connection the server has heard nothing from (no pong, no message) for this long is closed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The longest a frame may wait for a client to take it: a member that stops reading is cut off
     * then, and its socket freed (the chat counterpart of {@code http.write.timeout}).
     */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /** A room announces who joined and left at most once per this interval, all changes in one event. */
    public Duration presenceInterval() {
        return presenceInterval;
    }
}
