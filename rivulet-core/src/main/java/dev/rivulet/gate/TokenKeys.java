package dev.rivulet.gate;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The keys this node verifies tokens with, and the verifier made of them: the configured ones
 * and, with {@code rivulet.jwt.jwks-uri}, the identity provider's set, which is fetched when the
 * application starts and then again every {@code rivulet.jwt.jwks-refresh} (sooner after a failed
 * fetch) on a thread of this bean's own. Fetches do not block that thread: it only starts them.
 */
@ApplicationScoped
public class TokenKeys {

    @Inject
    AccessConfig config;

    @Resource
    ManagedThreadFactory threads;

    private JwksKeys provider;
    private TokenVerifier verifier;
    private ScheduledExecutorService schedule;

    protected TokenKeys() {
    }

    @PostConstruct
    void read() {
        provider = config.jwksUri().map(uri -> new JwksKeys(uri, config.jwksRefresh(), Clock.systemUTC())).orElse(null);
        verifier = new TokenVerifier(config.keys(), provider, config.claimRules(), config.leeway(), Clock.systemUTC());
    }

    /** Fetches the provider's set as the application starts, without waiting for it. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object context) {
        if (provider != null) {
            schedule = Executors.newSingleThreadScheduledExecutor(threads);
            fetchAndReschedule();
        }
    }

    private void fetchAndReschedule() {
        provider.fetch().whenComplete((done, failure) -> {
            try {
                schedule.schedule(this::fetchAndReschedule, provider.nextFetchIn().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // The application is stopping.
            }
        });
    }

    @PreDestroy
    void stop() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
        if (provider != null) {
            provider.close();
        }
    }

    /** Verifies the tokens of requests. */
    public TokenVerifier verifier() {
        return verifier;
    }

    /** The identity provider's keys, when {@code rivulet.jwt.jwks-uri} is set. */
    public Optional<JwksKeys> provider() {
        return Optional.ofNullable(provider);
    }
}
