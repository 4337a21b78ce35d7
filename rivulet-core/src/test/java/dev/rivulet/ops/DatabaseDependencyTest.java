package dev.rivulet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DatabaseDependencyTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aReachableDatabaseHasNoProblem() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID());
        DatabaseDependency database = new DatabaseDependency(ds, executor);

        assertEquals("database", database.name());
        assertEquals(Optional.empty(), database.problem());
    }

    @Test
    void aDatabaseThatRefusesConnectionsIsAProblemNamedBySqlStateWithoutTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:tcp://127.0.0.1:" + closedPort + "/secret-name");
        ds.setPassword("hunter2");

        Optional<String> problem = new DatabaseDependency(ds, executor).problem();

        assertTrue(problem.isPresent());
        assertTrue(problem.get().startsWith("cannot connect (SQLState "), problem.get());
        assertTrue(!problem.get().contains("secret-name") && !problem.get().contains("hunter2"), problem.get());
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsAProblemWithinTheTimeoutAndIsNotCheckedTwiceAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger connects = new AtomicInteger();
        DataSource hanging = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connects.incrementAndGet();
                        release.await(30, TimeUnit.SECONDS);
                        throw new java.sql.SQLTransientConnectionException("gave up", "08001");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        DatabaseDependency database = new DatabaseDependency(hanging, executor);

        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            Optional<String> problem = database.problem();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Optional.of("no answer within 1500 ms"), problem);
            assertTrue(millis < 5_000, "answered after " + millis + " ms");
        }
        assertEquals(1, connects.get(), "the second probe waits for the check under way");

        release.countDown();
        // The check under way ends now; the next probe has its answer.
        assertEquals(Optional.of("cannot connect (SQLState 08001)"), database.problem());
    }
}
