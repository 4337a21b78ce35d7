package dev.rivulet.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shared test server's {@code messages.log}, from a mark on: what a test's requests made the
 * server write there. Liberty writes a stack trace there for anything that reached it as a 500.
 */
public final class ServerLog {

    private static final List<String> TRACES = List.of("Exception", "\tat ", "at dev.rivulet.");

    private final Path file;
    private final long from;

    private ServerLog(Path file, long from) {
        this.file = file;
        this.from = from;
    }

    /** Marks the end of the log as it is now. */
    public static ServerLog mark() {
        String dir = System.getProperty("it.server.logs");
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException("system property it.server.logs is not set; run the tests with mvn verify");
        }
        Path file = Path.of(dir, "messages.log");
        try {
            return new ServerLog(file, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** What the server wrote to its log since the mark. */
    String since() {
        try {
            byte[] all = Files.readAllBytes(file);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Fails when the server logged a stack trace since the mark. */
    public void assertNoStackTrace() {
        String written = since();
        for (String trace : TRACES) {
            assertFalse(written.contains(trace), () -> "the server logged a stack trace:\n" + written);
        }
    }
}
