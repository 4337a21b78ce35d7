package dev.rivulet.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: UP only while the node should get traffic. DOWN while it starts, once it
 * drains for shutdown, and while a {@link Dependency} (the broker, the database, the identity
 * provider's key set) cannot be reached; the data says which.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private Lifecycle lifecycle;
    private List<Dependency> dependencies = List.of();

    protected ReadinessCheck() {
    }

    @Inject
    public ReadinessCheck(Lifecycle lifecycle, @Any Instance<Dependency> dependencies) {
        this.lifecycle = lifecycle;
        List<Dependency> found = new ArrayList<>();
        dependencies.forEach(d -> {
            if (d.inUse()) {
                found.add(d);
            }
        });
        this.dependencies = List.copyOf(found);
    }

    /** For code that runs without CDI (tests). */
    ReadinessCheck(Lifecycle lifecycle, List<Dependency> dependencies) {
        this.lifecycle = lifecycle;
        this.dependencies = List.copyOf(dependencies);
    }

    @Override
    public HealthCheckResponse call() {
        boolean started = lifecycle.started();
        boolean draining = lifecycle.draining();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("rivulet-ready")
                .withData("starting", !started)
                .withData("draining", draining);
        boolean up = started && !draining;
        for (Dependency d : dependencies) {
            Optional<String> problem = check(d);
            response.withData(d.name(), problem.map(p -> "DOWN: " + p).orElse("UP"));
            up &= problem.isEmpty();
        }
        return response.status(up).build();
    }

    private static Optional<String> check(Dependency d) {
        try {
            return d.problem();
        } catch (RuntimeException e) {
            return Optional.of("its check failed (" + e.getClass().getSimpleName() + ")");
        }
    }
}
