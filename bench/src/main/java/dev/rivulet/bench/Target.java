package dev.rivulet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A server under test: how to start and stop it, how its URLs and bodies look, and what memory
 * it holds. Rivulet and nchan each implement it.
 */
interface Target {

    String name();

    int port();

    void start() throws IOException, InterruptedException;

    void stop() throws InterruptedException;

    /** Resident memory of every process of the server, from /proc/PID/status VmRSS. */
    long rssBytes();

    /**
     * OS threads of every process of the server, from /proc/PID/status Threads: for a JVM that is
     * every platform thread (virtual threads' carriers among them), never a virtual thread.
     */
    long threads();

    /**
     * A JSON thread dump of the server's JVM written to {@code file} and what it says, where the
     * server is a JVM.
     */
    default Optional<ThreadDump> threadDump(Path file) throws IOException, InterruptedException {
        return Optional.empty();
    }

    /** Heap in use after a full collection, where the server has a heap. */
    OptionalLong heapBytesAfterGc() throws IOException, InterruptedException;

    /** Streaming connections the server still holds (it may notice closed ones late). */
    int connections() throws IOException, InterruptedException;

    String publishPath(String topic);

    String subscribePath(String topic);

    String roomSubscribePath(String room, String member);

    /** The topic a room's messages are published to. */
    String roomTopic(String room);

    /** An {@code Authorization} header line, or the empty string. */
    String authorization();

    default String eventBody(String stamp) {
        return eventBody(stamp, 64);
    }

    /** An event of about {@code padBytes} + 40 bytes. */
    default String eventBody(String stamp, int padBytes) {
        return "{\"t\":\"" + stamp + "\",\"pad\":\"" + "x".repeat(padBytes) + "\"}";
    }

    default String roomMessage(String stamp) {
        return "{\"user\":\"bench\",\"text\":\"" + stamp + " " + "x".repeat(48) + "\"}";
    }

    default byte[] sseRequest(String topic) {
        return ("GET " + subscribePath(topic) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n"
                + authorization() + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    default byte[] webSocketRequest(String room, String member) {
        return ("GET " + roomSubscribePath(room, member) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static long rssOf(long pid) {
        return statusOf(pid, "VmRSS:") * 1024;
    }

    static long threadsOf(long pid) {
        return statusOf(pid, "Threads:");
    }

    /** A number from /proc/PID/status (VmRSS in KiB); 0 when the process has gone. */
    private static long statusOf(long pid, String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return 0;
    }
}
