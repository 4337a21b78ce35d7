package dev.rivulet.ops;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/** Where this node is in its life: starting, serving, draining. Health reports it. */
@ApplicationScoped
public class Lifecycle {

    private volatile boolean started;
    private volatile boolean draining;

    /** Runs after every other startup observer (the configuration checks among them) has. */
    void onStarted(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) @Initialized(ApplicationScoped.class)
                   Object context) {
        started = true;
    }

    /** True once the application has started: its configuration is valid and it serves. */
    public boolean started() {
        return started;
    }

    /** True once a shutdown drain has begun; it stays true until the node stops. */
    public boolean draining() {
        return draining;
    }

    void markDraining() {
        draining = true;
    }

    /** For tests of code that depends on the lifecycle. */
    void markStarted() {
        started = true;
    }
}
