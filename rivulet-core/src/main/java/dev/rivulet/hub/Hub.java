package dev.rivulet.hub;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * One node's hub: the index of live subscriptions and the topic registry. The broker hands it
 * every event in id order; it offers each to the subscribers whose selectors match. Topics appear
 * on first use and are forgotten when they have neither a subscriber nor retained history.
 */
@ApplicationScoped
public class Hub {

    private static final Logger LOG = Logger.getLogger(Hub.class.getName());

    private Broker broker;
    private HubConfig config;
    private Traffic traffic;

    private final SubscriberIndex index = new SubscriberIndex();
    /** Publishes under way; a drain waits for them, so every event accepted reaches the queues first. */
    private final LongAdder publishing = new LongAdder();
    /** Set once the node drains: the Retry-After for refused publishes. */
    private volatile Duration draining;

    protected Hub() {
    }

    public Hub(Broker broker, HubConfig config) {
        this(broker, config, Traffic.NONE);
    }

    @Inject
    public Hub(Broker broker, HubConfig config, Traffic traffic) {
        this.broker = broker;
        this.config = config;
        this.traffic = traffic;
    }

    @PostConstruct
    void connect() {
        broker.deliverTo(new Fanout() {
            @Override
            public int deliver(Event event) {
                return Hub.this.deliver(event);
            }

            @Override
            public void lost() {
                index.closeAll(Subscriber.CloseReason.ERROR);
            }
        });
    }

    /** Brings the hub up with the application, so a bad configuration stops startup. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        config.queueSize();
        try {
            broker.latest();
        } catch (BrokerUnavailableException e) {
            // The node starts without its broker and is not ready until it can reach it.
            LOG.warning(e.getMessage());
        }
    }

    /**
     * Publishes JSON {@code data} to {@code topic}. The topic, type and data are checked here, so
     * every transport applies the same rules. Never waits for a subscriber.
     */
    public Published publish(String topic, String type, String data, boolean privateEvent) {
        return publish(new Draft(topic, type, data, privateEvent));
    }

    /**
     * Publishes a draft that may carry Mercure fields ({@link EventMeta}): its alternate topics are
     * checked as its topic is. Otherwise as {@link #publish(String, String, String, boolean)}.
     */
    public Published publish(Draft draft) {
        publishing.increment();
        try {
            checkAccepting();
            Names.checkTopic(draft.topic());
            for (String alternate : draft.meta().alternates()) {
                Names.checkTopic(alternate);
            }
            String checkedType = Names.checkType(draft.type());
            String data = draft.data();
            if (data != null && Utf8.length(data) > config.publishMaxBytes()) {
                throw new PayloadTooLargeException(config.publishMaxBytes());
            }
            Published published = broker.publish(new Draft(draft.topic(), checkedType, JsonText.normalize(data),
                    draft.privateEvent(), draft.meta()));
            traffic.published(published.event());
            return published;
        } finally {
            publishing.decrement();
        }
    }

    /**
     * Publishes several events in their order, under the same rules as {@link #publish} (a draft
     * that breaks them is refused before any is published). For a batch, such as a log ingest's
     * entries: no delivery counts, and a cluster broker sends them to Redis together.
     */
    public void publishAll(List<Draft> drafts) {
        publishing.increment();
        try {
            checkAccepting();
            List<Draft> checked = new ArrayList<>(drafts.size());
            for (Draft d : drafts) {
                Names.checkTopic(d.topic());
                String type = Names.checkType(d.type());
                if (d.data() != null && Utf8.length(d.data()) > config.publishMaxBytes()) {
                    throw new PayloadTooLargeException(config.publishMaxBytes());
                }
                checked.add(new Draft(d.topic(), type, JsonText.normalize(d.data()), d.privateEvent(), d.meta()));
            }
            for (Event e : broker.publishAll(checked)) {
                traffic.published(e);
            }
        } finally {
            publishing.decrement();
        }
    }

    /**
     * Stops taking publishes (each is refused with {@link DrainingException}, carrying
     * {@code retryAfter}) and waits, at most {@code within}, for those under way to reach the
     * subscribers' queues. Answers true when none is left under way.
     */
    public boolean stopAccepting(Duration retryAfter, Duration within) {
        draining = retryAfter;
        long deadline = System.nanoTime() + within.toNanos();
        while (publishing.sum() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }

    /** False once the node drains for shutdown. */
    public boolean accepting() {
        return draining == null;
    }

    /** Refuses with a {@link DrainingException} once the node drains: nothing new may start. */
    public void checkAccepting() {
        Duration refused = draining;
        if (refused != null) {
            throw new DrainingException(refused);
        }
    }

    /**
     * Subscribes to the selected topics. With no {@code lastEventId} the stream starts now; with
     * one, every retained event after it comes first, then live events, with no gap and no
     * duplicate at the seam. An id that is unknown or older than history starts at the oldest
     * retained event, after a {@code gap} notice. The reader sees the private events of the topics
     * its {@code privateAccess} covers, at most its pace a second (the transport wakes again after
     * {@link Subscriber#nanosUntilReady} when paced); {@code wake} is called whenever the
     * subscriber has something for its transport to write (or has closed).
     */
    public Subscriber subscribe(Subscription request) {
        if (request.selectors().isEmpty()) {
            throw new InvalidInputException("invalid-selector", "at least one topic is required");
        }
        Subscriber subscriber = new Subscriber(request.selectors(), request.privateAccess(), config.queueSize(),
                config.overflow(), request.pace(), request.wake(), index::remove, traffic);
        index.add(subscriber);
        // Registered before the cursor is read: every event after it reaches the live queue.
        Cursor latest = broker.latest();
        if (request.lastEventId() == null) {
            subscriber.start(latest, List.of(), null);
            return subscriber;
        }
        Resume resume = Resume.of(broker, request.selectors(), request.lastEventId(), latest, Integer.MAX_VALUE);
        traffic.resumed(resume.gap() != null);
        subscriber.start(resume.opening(latest), resume.replay().events(), resume.gap());
        return subscriber;
    }

    /**
     * Retained events of one topic after {@code since} (all when null), at most {@code limit}, that
     * a reader with {@code privateAccess} may see. The gap notice, when there is one, is the first
     * element.
     */
    public List<Outbound> history(String topic, List<TopicSelector> privateAccess, String since, int limit) {
        Names.checkTopic(topic);
        List<TopicSelector> selector = List.of(TopicSelector.parse(topic));
        Cursor latest = broker.latest();
        List<Outbound> out = new ArrayList<>();
        Replay replay;
        if (since == null) {
            replay = broker.replay(selector, null, Integer.MAX_VALUE);
        } else {
            Resume resume = Resume.of(broker, selector, since, latest, Integer.MAX_VALUE);
            if (resume.gap() != null) {
                out.add(resume.gap());
            }
            replay = resume.replay();
        }
        // The limit counts what the reader sees, so private events do not eat into it.
        int taken = 0;
        for (Event e : replay.events()) {
            if (taken == limit) {
                break;
            }
            if (e.visibleTo(privateAccess)) {
                out.add(e);
                taken++;
            }
        }
        return out;
    }

    /**
     * The cursor of the newest retained event that {@code selectors} match and whose publisher gave
     * it the id {@code publisherId}, or empty when history holds none: how a client resumes after
     * an event named by its publisher, on any node.
     */
    public Optional<Cursor> cursorOf(List<TopicSelector> selectors, String publisherId) {
        List<Event> events = broker.replay(selectors, null, Integer.MAX_VALUE).events();
        for (int i = events.size() - 1; i >= 0; i--) {
            Event e = events.get(i);
            if (publisherId.equals(e.meta().id())) {
                return Optional.of(e.id());
            }
        }
        return Optional.empty();
    }

    /** Hands one event to every matching subscriber of this node; answers how many took it. */
    int deliver(Event event) {
        return index.deliver(event);
    }

    /** The newest id assigned, on any node: a stream that starts now starts after it. */
    public Cursor latest() {
        return broker.latest();
    }

    /** Who is in each chat room on the other nodes of the cluster. */
    public Roster roster() {
        return broker.roster();
    }

    /** Topics with retained history or live subscribers, by name. */
    public List<TopicInfo> topics() {
        Map<String, TopicInfo> topics = new TreeMap<>();
        for (RetainedTopic r : broker.retained()) {
            topics.put(r.topic(), new TopicInfo(r.topic(), subscriberCount(r.topic()), r.lastId(), r.events()));
        }
        for (String topic : index.exactTopics()) {
            topics.computeIfAbsent(topic, t -> new TopicInfo(t, subscriberCount(t), null, 0));
        }
        return List.copyOf(topics.values());
    }

    /** How many topics {@link #topics} lists, without building the list. */
    public int topicCount() {
        Set<String> names = new HashSet<>(index.exactTopics());
        for (RetainedTopic r : broker.retained()) {
            names.add(r.topic());
        }
        return names.size();
    }

    /** Live subscribers on this node whose selectors cover {@code topic}. */
    public int subscriberCount(String topic) {
        return index.count(topic);
    }

    /** Live subscribers on this node. */
    public int subscriberCount() {
        return index.count();
    }

    /** The longest queue any live subscriber holds now. */
    public int deepestQueue() {
        return index.deepestQueue();
    }

    /** The longest queue any subscriber has held since the hub started. */
    public int queuePeak() {
        return index.queuePeak();
    }

    /** The configured bound of every subscriber queue. */
    public int queueCapacity() {
        return config.queueSize();
    }
}
