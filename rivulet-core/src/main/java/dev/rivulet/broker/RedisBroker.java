package dev.rivulet.broker;

import dev.rivulet.hub.Broker;
import dev.rivulet.hub.BrokerUnavailableException;
import dev.rivulet.hub.Cursor;
import dev.rivulet.hub.Draft;
import dev.rivulet.hub.Event;
import dev.rivulet.hub.EventMeta;
import dev.rivulet.hub.Fanout;
import dev.rivulet.hub.HubConfig;
import dev.rivulet.hub.Published;
import dev.rivulet.hub.Replay;
import dev.rivulet.hub.RetainedTopic;
import dev.rivulet.hub.Roster;
import dev.rivulet.hub.TopicSelector;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The broker of a cluster: every node shares one Redis, which assigns ids, keeps each topic's
 * history in a stream and hands every event to every node.
 *
 * <p>A publish is one Lua script ({@code publish.lua}): the id from one sequence for the whole
 * cluster, {@code XADD} to the topic's stream, the trims by count and age (with the newest id each
 * dropped), and {@code PUBLISH} on the hub's channel, so ids are strictly increasing across all
 * topics and nodes and reach every node in id order. Each node reads its pub/sub connection on
 * Lettuce's threads, which only queue what arrives; one dispatcher thread of the node's own hands
 * the events to the hub, in that order.
 *
 * <p>When the pub/sub connection comes back after a break (Lettuce reconnects and subscribes
 * again), the dispatcher catches this node up from the streams, from the last id it delivered;
 * where history no longer holds all it missed, every stream of the node ends, so each client
 * resumes with its last id and learns of the gap.
 *
 * <p>Keys, all under {@code rivulet.redis.prefix}: {@code seq} (the newest id), {@code horizon}
 * (history begins after it), {@code topics} (the topics with a stream), {@code floors} (per topic,
 * the newest id trimmed), {@code topic:<name>} (a topic's stream, entry ids {@code <id>-0}), the
 * chat roster ({@link RedisRoster}), and the channel {@code events}.
 */
public class RedisBroker implements Broker, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    /** How many received events may wait for the dispatcher; past it, it catches up from the streams. */
    private static final int BACKLOG = 65_536;
    private static final Object CATCH_UP = new Object();

    private final ClientResources resources;
    private final RedisClient client;
    private final Duration timeout;
    private final int maxEvents;
    private final long maxAgeMicros;
    private final String seqKey;
    private final String horizonKey;
    private final String topicsKey;
    private final String floorsKey;
    private final String alternatedKey;
    private final String streamPrefix;
    private final String channel;
    /** Tells this node's own publishes apart on the channel, to answer with their delivery count. */
    private final String node = UUID.randomUUID().toString();
    private final RedisRoster roster;

    private final BlockingQueue<Object> received = new ArrayBlockingQueue<>(BACKLOG);
    private final AtomicBoolean behind = new AtomicBoolean();
    private final Map<Long, CompletableFuture<Integer>> ownPublishes = new ConcurrentHashMap<>();
    private final Thread dispatcher;
    private volatile Fanout fanout = event -> 0;
    /** The newest id handed to this node's hub (or, before the first, the newest when it subscribed). */
    private final AtomicLong lastDelivered = new AtomicLong();

    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private long lastAttempt = System.nanoTime() - TimeUnit.SECONDS.toNanos(10);
    private volatile boolean closed;

    public RedisBroker(BrokerConfig config, HubConfig hub) {
        this.timeout = config.timeout();
        this.maxEvents = hub.historyMaxEvents();
        this.maxAgeMicros = hub.historyMaxAge().toNanos() / 1000;
        String p = config.prefix();
        this.seqKey = p + "seq";
        this.horizonKey = p + "horizon";
        this.topicsKey = p + "topics";
        this.floorsKey = p + "floors";
        this.alternatedKey = p + "alternated";
        this.streamPrefix = p + "topic:";
        this.channel = p + "events";
        this.roster = new RedisRoster(this, node, p);
        RedisURI uri = RedisURI.create(config.redisUri());
        uri.setTimeout(timeout);
        // Reconnect soon after Redis is back (within a second), not after Lettuce's default 30 s backoff.
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // A command while the connection is down fails at once: a publish is refused, never held.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        this.dispatcher = Thread.ofPlatform().name("rivulet-redis-dispatcher").daemon().unstarted(this::dispatch);
        dispatcher.start();
        try {
            connected();
        } catch (BrokerUnavailableException e) {
            LOG.warning(() -> "Redis is not reachable yet (" + withoutPassword(config.redisUri())
                    + "); this node is not ready until it is: " + e.getCause());
        }
    }

    @Override
    public void deliverTo(Fanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public Published publish(Draft draft) {
        List<Object> answer = run(Script.PUBLISH, ScriptOutputType.MULTI, publishKeys(draft), publishArgs(draft));
        Event event = published(draft, answer);
        return new Published(event, ownDelivery(event.id().position()), ((Number) answer.get(2)).intValue());
    }

    /** The drafts' scripts go to Redis together, in order (one connection keeps it), and are answered together. */
    @Override
    public List<Event> publishAll(List<Draft> drafts) {
        if (drafts.isEmpty()) {
            return List.of();
        }
        StatefulRedisConnection<String, String> c = connected();
        try {
            if (!c.sync().scriptExists(Script.PUBLISH.sha()).get(0)) {
                c.sync().scriptLoad(Script.PUBLISH.text());
            }
            RedisAsyncCommands<String, String> async = c.async();
            List<CompletableFuture<List<Object>>> answers = new ArrayList<>(drafts.size());
            for (Draft d : drafts) {
                answers.add(async.<List<Object>>evalsha(Script.PUBLISH.sha(), ScriptOutputType.MULTI, publishKeys(d),
                        publishArgs(d)).toCompletableFuture());
            }
            List<Event> events = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                events.add(published(drafts.get(i), await(answers.get(i))));
            }
            return events;
        } catch (RedisException e) {
            throw new BrokerUnavailableException("publishing", e);
        }
    }

    private String[] publishKeys(Draft d) {
        return new String[] {seqKey, horizonKey, topicsKey, floorsKey, streamPrefix + d.topic(), alternatedKey};
    }

    private String[] publishArgs(Draft d) {
        return new String[] {d.topic(), d.type(), d.privateEvent() ? "1" : "0", d.data(), Integer.toString(maxEvents),
                Long.toString(maxAgeMicros), channel, node, d.meta().encode(), d.meta().alternates().isEmpty() ? "0" : "1"};
    }

    /** The event the publish script stored, from its answer: id, time, nodes. */
    private static Event published(Draft d, List<Object> answer) {
        return new Event(Cursor.of(Long.parseLong(text(answer.get(0)))), d.topic(), d.type(), d.data(),
                Instant.ofEpochMilli(Long.parseLong(text(answer.get(1)))), d.privateEvent(), d.meta());
    }

    /**
     * How many of this node's subscribers took its own event: the dispatcher says so once the event
     * came back through the channel (this node's subscribers then have it queued, like on one node).
     */
    private int ownDelivery(long id) {
        CompletableFuture<Integer> delivered = ownPublishes.computeIfAbsent(id, k -> new CompletableFuture<>());
        try {
            return delivered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Stored and published, but not back yet: the catch-up hands it over when it comes.
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            ownPublishes.remove(id);
        }
    }

    @Override
    public Cursor latest() {
        return Cursor.of(Long.parseLong(run(Script.LATEST, ScriptOutputType.VALUE, new String[] {seqKey, horizonKey})));
    }

    @Override
    public Replay replay(List<TopicSelector> selectors, Cursor since, int limit) {
        RedisCommands<String, String> redis = connected().sync();
        try {
            List<String> matching = new ArrayList<>();
            for (String topic : redis.smembers(topicsKey)) {
                if (TopicSelector.anyMatches(selectors, topic)) {
                    matching.add(topic);
                }
            }
            // Topics whose events carry alternate topics: their events the selectors match that way come too.
            List<String> alternated = new ArrayList<>();
            for (String topic : redis.smembers(alternatedKey)) {
                if (!matching.contains(topic)) {
                    alternated.add(topic);
                }
            }
            List<String> expiring = new ArrayList<>(matching);
            expiring.addAll(alternated);
            expire(expiring);
            long upTo = latest().position();
            long after = since == null ? Long.MIN_VALUE : since.position();
            List<String> retained = matching.isEmpty() ? List.of() : retainedOf(redis, matching);
            boolean expired = false;
            if (since != null) {
                long horizon = number(redis.get(horizonKey));
                for (TopicSelector selector : selectors) {
                    if (!selector.isExact() || !retained.contains(selector.text())) {
                        expired |= after < horizon;
                    }
                }
                expired |= below(redis, retained, after);
            }
            List<Event> events = read(retained, after, upTo, limit);
            if (!alternated.isEmpty()) {
                List<Event> merged = new ArrayList<>(events);
                for (Event e : read(retainedOf(redis, alternated), after, upTo, Integer.MAX_VALUE)) {
                    if (e.matchedBy(selectors)) {
                        merged.add(e);
                    }
                }
                merged.sort(Comparator.comparingLong(e -> e.id().position()));
                events = merged.size() > limit ? List.copyOf(merged.subList(0, limit)) : merged;
            }
            return new Replay(events, expired);
        } catch (RedisException e) {
            throw new BrokerUnavailableException("reading history", e);
        }
    }

    @Override
    public List<RetainedTopic> retained() {
        RedisCommands<String, String> redis = connected().sync();
        try {
            List<String> topics = new ArrayList<>(redis.smembers(topicsKey));
            expire(topics);
            RedisAsyncCommands<String, String> async = connected().async();
            List<CompletableFuture<List<StreamMessage<String, String>>>> newest = new ArrayList<>();
            List<CompletableFuture<Long>> lengths = new ArrayList<>();
            for (String topic : topics) {
                newest.add(async.xrevrange(streamPrefix + topic, Range.create("-", "+"),
                        io.lettuce.core.Limit.from(1)).toCompletableFuture());
                lengths.add(async.xlen(streamPrefix + topic).toCompletableFuture());
            }
            List<RetainedTopic> out = new ArrayList<>(topics.size());
            for (int i = 0; i < topics.size(); i++) {
                List<StreamMessage<String, String>> last = await(newest.get(i));
                if (!last.isEmpty()) {
                    out.add(new RetainedTopic(topics.get(i), Cursor.of(position(last.get(0).getId())),
                            (int) Math.min(Integer.MAX_VALUE, await(lengths.get(i)))));
                }
            }
            return out;
        } catch (RedisException e) {
            throw new BrokerUnavailableException("listing topics", e);
        }
    }

    /** Reachable while both connections are up and Redis answers a PING within the timeout. */
    @Override
    public boolean reachable() {
        try {
            StatefulRedisConnection<String, String> c = connected();
            StatefulRedisPubSubConnection<String, String> p = pubsub;
            return p != null && p.isOpen() && "PONG".equals(c.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Roster roster() {
        return roster;
    }

    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** The topics of {@code topics} whose stream holds an event. */
    private List<String> retainedOf(RedisCommands<String, String> redis, List<String> topics) {
        List<String> retained = new ArrayList<>(topics.size());
        List<Boolean> members = redis.smismember(topicsKey, topics.toArray(String[]::new));
        for (int i = 0; i < topics.size(); i++) {
            if (members.get(i)) {
                retained.add(topics.get(i));
            }
        }
        return retained;
    }

    /** Whether some topic's history no longer reaches back to {@code after}. */
    private boolean below(RedisCommands<String, String> redis, List<String> topics, long after) {
        if (topics.isEmpty()) {
            return false;
        }
        for (var floor : redis.hmget(floorsKey, topics.toArray(String[]::new))) {
            if (floor.hasValue() && after < Long.parseLong(floor.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** The events of {@code topics} with ids in ({@code after}, {@code upTo}], oldest first, at most {@code limit}. */
    private List<Event> read(List<String> topics, long after, long upTo, int limit) {
        RedisAsyncCommands<String, String> async = connected().async();
        String from = after == Long.MIN_VALUE ? "-" : (after + 1) + "-0";
        Range<String> range = Range.create(from, upTo + "-0");
        io.lettuce.core.Limit count = io.lettuce.core.Limit.from(limit);
        List<CompletableFuture<List<StreamMessage<String, String>>>> reads = new ArrayList<>(topics.size());
        for (String topic : topics) {
            reads.add(async.xrange(streamPrefix + topic, range, count).toCompletableFuture());
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < topics.size(); i++) {
            for (StreamMessage<String, String> m : await(reads.get(i))) {
                events.add(event(topics.get(i), m));
            }
        }
        events.sort(Comparator.comparingLong(e -> e.id().position()));
        return events.size() > limit ? List.copyOf(events.subList(0, limit)) : events;
    }

    private void expire(List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        String[] args = new String[topics.size() + 2];
        args[0] = Long.toString(maxAgeMicros);
        args[1] = streamPrefix;
        for (int i = 0; i < topics.size(); i++) {
            args[i + 2] = topics.get(i);
        }
        run(Script.EXPIRE, ScriptOutputType.INTEGER, new String[] {horizonKey, topicsKey, floorsKey}, args);
    }

    private Event event(String topic, StreamMessage<String, String> m) {
        Map<String, String> f = m.getBody();
        return new Event(Cursor.of(position(m.getId())), topic, f.get("y"), f.get("d"),
                Instant.ofEpochMilli(Long.parseLong(f.get("m"))), "1".equals(f.get("p")), EventMeta.decode(f.get("x")));
    }

    // --- the dispatcher: the one thread that hands received events to this node's hub ---

    private void dispatch() {
        while (!closed) {
            try {
                Object next = received.poll(1, TimeUnit.SECONDS);
                if (behind.getAndSet(false) || next == CATCH_UP) {
                    catchUp();
                }
                if (next instanceof String message) {
                    deliver(message);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Redis went away during a catch-up: the next subscription after it reconnects catches up again.
                LOG.log(Level.WARNING, "Delivering events from Redis failed", e);
            }
        }
    }

    /** One event from the channel: {@code id, node, topic, type, private, millis, meta, data}, by lines. */
    private void deliver(String message) {
        String[] f = message.split("\n", 8);
        long id = Long.parseLong(f[0]);
        if (id <= lastDelivered.get()) {
            return; // a catch-up delivered it already, or it came before this node subscribed
        }
        Event event = new Event(Cursor.of(id), f[2], f[3], f[7], Instant.ofEpochMilli(Long.parseLong(f[5])),
                "1".equals(f[4]), EventMeta.decode(f[6]));
        int delivered = fanout.deliver(event);
        lastDelivered.set(id);
        if (f[1].equals(node)) {
            ownPublishes.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(delivered);
            if (ownPublishes.size() > 1024) {
                ownPublishes.values().removeIf(CompletableFuture::isDone);
            }
        }
    }

    /**
     * After the channel was (re)subscribed or events were dropped for want of room: hands over, in
     * id order, every event after the last one delivered, from the streams. Where a stream no
     * longer reaches back that far, events may be lost, and every stream of this node ends.
     */
    private void catchUp() {
        long from = lastDelivered.get();
        if (from == 0) {
            return; // the first subscription: connecting sets where this node starts
        }
        long upTo = latest().position();
        if (upTo <= from) {
            return;
        }
        Replay missed = replay(List.of(TopicSelector.parse("*")), Cursor.of(from), Integer.MAX_VALUE);
        for (Event e : missed.events()) {
            if (e.id().position() > lastDelivered.get() && e.id().position() <= upTo) {
                fanout.deliver(e);
                lastDelivered.set(e.id().position());
            }
        }
        if (missed.expired()) {
            LOG.warning(() -> "Events after " + from + " may not have reached this node (history no longer holds them):"
                    + " its streams end, so their clients resume");
            fanout.lost();
        }
        lastDelivered.accumulateAndGet(upTo, Math::max);
    }

    private final class Listener extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String ch, String message) {
            if (!received.offer(message)) {
                behind.set(true);
            }
        }

        @Override
        public void subscribed(String ch, long count) {
            if (!received.offer(CATCH_UP)) {
                behind.set(true);
            }
        }
    }

    // --- connections ---

    /** The command connection, connecting first (at most once a second) when there is none. */
    private StatefulRedisConnection<String, String> connected() {
        StatefulRedisConnection<String, String> c = commands;
        if (c != null) {
            return c;
        }
        synchronized (connecting) {
            if (commands != null) {
                return commands;
            }
            long now = System.nanoTime();
            if (now - lastAttempt < TimeUnit.SECONDS.toNanos(1)) {
                throw new BrokerUnavailableException("not connected", null);
            }
            lastAttempt = now;
            StatefulRedisConnection<String, String> command = null;
            try {
                command = client.connect();
                StatefulRedisPubSubConnection<String, String> events = client.connectPubSub();
                events.addListener(new Listener());
                events.sync().subscribe(channel);
                pubsub = events;
                commands = command;
                // The node starts here: what it receives from now on is after this id.
                lastDelivered.accumulateAndGet(latest().position(), Math::max);
                LOG.info("Connected to Redis");
                return command;
            } catch (RedisException e) {
                if (command != null) {
                    command.closeAsync();
                }
                throw new BrokerUnavailableException("cannot connect", e);
            }
        }
    }

    /** One call on the command connection; a Redis that cannot be reached is a {@link BrokerUnavailableException}. */
    <T> T commands(java.util.function.Function<RedisCommands<String, String>, T> call) {
        RedisCommands<String, String> redis = connected().sync();
        try {
            return call.apply(redis);
        } catch (RedisException e) {
            throw new BrokerUnavailableException("reading", e);
        }
    }

    @SuppressWarnings("unchecked")
    <T> T run(Script script, ScriptOutputType type, String[] keys, String... args) {
        RedisCommands<String, String> redis = connected().sync();
        try {
            try {
                return (T) redis.evalsha(script.sha(), type, keys, args);
            } catch (RedisNoScriptException e) {
                return (T) redis.eval(script.text(), type, keys, args);
            }
        } catch (RedisException e) {
            throw new BrokerUnavailableException("running " + script.name(), e);
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new BrokerUnavailableException("reading history", e.getCause() == null ? e : e.getCause());
        }
    }

    private static long position(String entryId) {
        int dash = entryId.indexOf('-');
        return Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash));
    }

    private static long number(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    /** The URI as logs may show it: without a password. */
    static String withoutPassword(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    /** A Lua script of this package, with its SHA-1 (what {@code EVALSHA} names it by). */
    record Script(String name, String text, String sha) {
        static final Script PUBLISH = load("publish.lua");
        static final Script EXPIRE = load("expire.lua");
        static final Script LATEST = load("latest.lua");
        static final Script ROSTER_CLAIM = load("roster-claim.lua");
        static final Script ROSTER_RELEASE = load("roster-release.lua");
        static final Script ROSTER_RENEW = load("roster-renew.lua");

        static Script load(String name) {
            try (InputStream in = RedisBroker.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + name);
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Script(name, text, sha1(text));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String sha1(String text) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
