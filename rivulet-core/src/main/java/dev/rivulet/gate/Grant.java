package dev.rivulet.gate;

import dev.rivulet.hub.TopicSelector;
import java.time.Instant;
import java.util.List;

/**
 * What one request may do, from its token: who it is ({@code sub}) and the topic selectors it may
 * publish to and subscribe to (the {@code rivulet} claim, or {@code mercure} of the same shape).
 * A request without a token has the anonymous grant: no subject and no selectors.
 *
 * @param subscribe selectors whose private events the holder may see, and which it may read where
 *                  reading needs a token (logs, the topic list, every topic when anonymous
 *                  subscribers are not allowed)
 * @param expires   when the token stops being valid (its {@code exp} and the leeway); null for never.
 *                  A stream, chat connection or log tail opened with it ends then.
 * @param payload   the claim's {@code payload} as compact JSON text (Mercure's subscriber data,
 *                  shown in subscription events); null when it has none
 */
public record Grant(String subject, List<TopicSelector> publish, List<TopicSelector> subscribe,
                    boolean authenticated, Instant expires, String payload) {

    public static final Grant ANONYMOUS = new Grant(null, List.of(), List.of(), false, null);

    public Grant {
        publish = List.copyOf(publish);
        subscribe = List.copyOf(subscribe);
    }

    /** A grant without a payload. */
    public Grant(String subject, List<TopicSelector> publish, List<TopicSelector> subscribe, boolean authenticated,
                 Instant expires) {
        this(subject, publish, subscribe, authenticated, expires, null);
    }

    /** A grant that does not expire. */
    public Grant(String subject, List<TopicSelector> publish, List<TopicSelector> subscribe, boolean authenticated) {
        this(subject, publish, subscribe, authenticated, null);
    }

    /** True once the token has expired: what it opened must end. */
    public boolean expiredAt(Instant now) {
        return expires != null && now.isAfter(expires);
    }

    /** Refuses a publish to {@code topic} that no {@code publish} selector covers. */
    public void checkPublish(String topic) {
        if (!authenticated) {
            throw AccessDenied.tokenRequired("publishing needs a token whose publish claim covers the topic");
        }
        if (!mayPublish(topic)) {
            throw AccessDenied.forbidden("the token's publish claim does not cover this topic");
        }
    }

    /** True when a {@code publish} selector covers {@code topic}. */
    public boolean mayPublish(String topic) {
        return TopicSelector.anyMatches(publish, topic);
    }

    /** Refuses to read what some of {@code requested} name, unless the {@code subscribe} selectors cover it all. */
    public void checkRead(List<TopicSelector> requested, String what) {
        if (!authenticated) {
            throw AccessDenied.tokenRequired(what + " needs a token whose subscribe claim covers it");
        }
        for (TopicSelector r : requested) {
            if (!mayRead(r)) {
                throw AccessDenied.forbidden("the token's subscribe claim does not cover " + what);
            }
        }
    }

    /**
     * True when the {@code subscribe} selectors cover every topic {@code requested} can match:
     * {@code *} covers all, a selector covers itself, and a topic is covered by any selector that
     * matches it.
     */
    public boolean mayRead(TopicSelector requested) {
        for (TopicSelector s : subscribe) {
            if (s.isWildcard() || s.equals(requested) || requested.isExact() && s.matches(requested.text())) {
                return true;
            }
        }
        return false;
    }

    /** True when the {@code subscribe} selectors cover {@code topic}. */
    public boolean mayRead(String topic) {
        return TopicSelector.anyMatches(subscribe, topic);
    }
}
