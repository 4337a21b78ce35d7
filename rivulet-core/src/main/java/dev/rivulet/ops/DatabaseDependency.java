package dev.rivulet.ops;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Readiness depends on the database behind {@code jdbc/rivulet}: without it logs can be neither
 * stored nor read. A probe takes a pooled connection and validates it with the driver's
 * {@code isValid}; it runs on a thread of its own and is awaited for at most {@link #ANSWER_WITHIN},
 * since opening a connection to a host that does not answer can block far longer (the driver's
 * connect timeout, the pool's wait). A check still under way when the next probe comes is awaited
 * again, not started twice. Not on the shared executor: streams that block their writes there
 * would queue the check and turn a busy node not ready (liveness watches the executor).
 */
@ApplicationScoped
public class DatabaseDependency implements Dependency {

    static final Duration ANSWER_WITHIN = Duration.ofMillis(1500);
    /** Seconds the driver may take to validate a connection it holds. */
    private static final int VALIDATION_SECONDS = 1;

    @Resource(lookup = "jdbc/rivulet")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threads;

    /** Where checks run: one thread of this bean's own, or another executor in tests. */
    private Executor runner;
    private ExecutorService own;
    private CompletableFuture<Optional<String>> underWay;

    protected DatabaseDependency() {
    }

    /** For code that runs without CDI (tests). */
    DatabaseDependency(DataSource dataSource, Executor runner) {
        this.dataSource = dataSource;
        this.runner = runner;
    }

    @PostConstruct
    void startThread() {
        own = Executors.newSingleThreadExecutor(threads);
        runner = own;
    }

    @PreDestroy
    void stopThread() {
        if (own != null) {
            own.shutdownNow();
        }
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Optional<String> problem() {
        CompletableFuture<Optional<String>> check;
        try {
            check = check();
        } catch (RejectedExecutionException stopping) {
            return Optional.of("no thread to check it on (the server is stopping)");
        }
        try {
            return check.get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of("no answer within " + ANSWER_WITHIN.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of("its check failed (" + e.getCause().getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("its check was interrupted");
        }
    }

    /** The check under way, or a new one when none is. */
    private synchronized CompletableFuture<Optional<String>> check() {
        if (underWay == null || underWay.isDone()) {
            underWay = CompletableFuture.supplyAsync(this::validate, runner);
        }
        return underWay;
    }

    private Optional<String> validate() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(VALIDATION_SECONDS) ? Optional.empty()
                    : Optional.of("a connection failed validation within " + VALIDATION_SECONDS + " s");
        } catch (SQLException e) {
            // The SQLState, not the message: a driver's message can name hosts and users.
            return Optional.of("cannot connect (SQLState " + e.getSQLState() + ")");
        }
    }
}
