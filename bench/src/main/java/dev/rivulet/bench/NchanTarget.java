package dev.rivulet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * nginx with the nchan module, as its own process (not the system service), configured by
 * bench/nchan/nginx.conf with its pid, logs and temporary files under the work folder.
 */
final class NchanTarget implements Target {

    private final Path config;
    private final Path work;
    private final int port;
    private final String cpus;
    private Process process;

    NchanTarget(Path config, Path work, int port, String cpus) {
        this.config = config;
        this.work = work;
        this.port = port;
        this.cpus = cpus;
    }

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void start() throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path conf = work.resolve("nginx.conf");
        Files.writeString(conf, Files.readString(config).replace("@PREFIX@", work.toString())
                .replace("@PORT@", Integer.toString(port)));
        List<String> cmd = new ArrayList<>();
        if (!cpus.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of("nginx", "-p", work.toString(), "-c", conf.toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve("nginx.out").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited; see " + work.resolve("nginx.out") + " and error.log");
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("nginx did not listen in 20 s");
    }

    @Override
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** The master and its workers together. */
    @Override
    public long rssBytes() {
        long sum = Target.rssOf(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            sum += Target.rssOf(child.pid());
        }
        return sum;
    }

    /** The master's and the workers' (nginx runs one thread a process). */
    @Override
    public long threads() {
        long sum = Target.threadsOf(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            sum += Target.threadsOf(child.pid());
        }
        return sum;
    }

    @Override
    public OptionalLong heapBytesAfterGc() {
        return OptionalLong.empty();
    }

    /** From nchan_stub_status: its {@code subscribers:} line. */
    @Override
    public int connections() throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").getBytes());
            String text = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) {
                if (line.startsWith("subscribers:")) {
                    return Integer.parseInt(line.substring(12).trim());
                }
            }
        }
        return 0;
    }

    @Override
    public String publishPath(String topic) {
        return "/pub?id=" + topic;
    }

    @Override
    public String subscribePath(String topic) {
        return "/sub?id=" + topic;
    }

    @Override
    public String roomSubscribePath(String room, String member) {
        return "/sub?id=" + roomTopic(room);
    }

    @Override
    public String roomTopic(String room) {
        return "room-" + room;
    }

    @Override
    public String authorization() {
        return "";
    }
}
