package dev.rivulet.ops;

import dev.rivulet.hub.Broker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** Readiness depends on the broker: without it this node can neither publish nor receive. */
@ApplicationScoped
public class BrokerDependency implements Dependency {

    @Inject
    Broker broker;

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public Optional<String> problem() {
        return broker.reachable() ? Optional.empty() : Optional.of("the broker does not answer");
    }
}
