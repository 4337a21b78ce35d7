package dev.rivulet.broker;

import dev.rivulet.hub.Broker;
import dev.rivulet.hub.HubConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.logging.Logger;

/** Makes the node's one broker, as {@code rivulet.broker} says, and closes it with the application. */
@ApplicationScoped
public class Brokers {

    private static final Logger LOG = Logger.getLogger(Brokers.class.getName());

    @Produces
    @ApplicationScoped
    Broker broker(BrokerConfig config, HubConfig hub) {
        if (config.kind() == BrokerConfig.Kind.REDIS) {
            LOG.info(() -> "Broker: Redis at " + RedisBroker.withoutPassword(config.redisUri())
                    + ", keys under " + config.prefix());
            return new RedisBroker(config, hub);
        }
        LOG.info("Broker: memory (this node only)");
        return new MemoryBroker(hub);
    }

    void close(@Disposes Broker broker) {
        if (broker instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warning(() -> "Closing the broker failed: " + e);
            }
        }
    }
}
