package dev.rivulet.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** {@code /health/started}: UP once the application has started with a valid configuration. */
@Startup
@ApplicationScoped
public class StartupCheck implements HealthCheck {

    @Inject
    Lifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rivulet-started").status(lifecycle.started()).build();
    }
}
