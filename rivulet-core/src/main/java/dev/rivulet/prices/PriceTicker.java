package dev.rivulet.prices;

import dev.rivulet.hub.Hub;
import dev.rivulet.hub.JsonText;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The built-in demo producer: while anyone subscribes to topic {@code prices}, it publishes one
 * {@code tick} event {@code {"symbol","price","change"}} per symbol each interval, from a random walk.
 */
@ApplicationScoped
public class PriceTicker {

    public static final String TOPIC = "prices";
    private static final Logger LOG = Logger.getLogger(PriceTicker.class.getName());

    @Inject
    Hub hub;

    @Inject
    PriceConfig config;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Map<String, BigDecimal> prices = new LinkedHashMap<>();
    private ScheduledFuture<?> task;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object context) {
        for (String symbol : config.symbols()) {
            prices.put(symbol, BigDecimal.valueOf(50 + Math.floorMod(symbol.hashCode(), 450)).setScale(2, RoundingMode.HALF_UP));
        }
        long every = config.interval().toMillis();
        task = scheduler.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void tick() {
        try {
            if (hub.subscriberCount(TOPIC) == 0 || !hub.accepting()) {
                return;
            }
            for (Map.Entry<String, BigDecimal> entry : prices.entrySet()) {
                BigDecimal old = entry.getValue();
                double step = ThreadLocalRandom.current().nextGaussian() * 0.002;
                BigDecimal price = old.multiply(BigDecimal.valueOf(1 + step)).setScale(2, RoundingMode.HALF_UP)
                        .max(new BigDecimal("0.01"));
                entry.setValue(price);
                hub.publish(TOPIC, "tick", "{\"symbol\":" + JsonText.quote(entry.getKey())
                        + ",\"price\":" + price.toPlainString()
                        + ",\"change\":" + price.subtract(old).toPlainString() + "}", false);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Price tick failed", e);
        }
    }
}
