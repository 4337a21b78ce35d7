package dev.rivulet.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two Rivulet nodes on one Redis (Debian's redis-server, on the PATH): N SSE subscribers on node B
 * while node A publishes, stepping the rate up, beside the same subscribers and publishers on one
 * node of the same cluster; and Redis's share of a CPU at each step.
 */
final class ClusterRun {

    private ClusterRun() {
    }

    record Result(int subscribers, SteppedRun crossNode, SteppedRun sameNode, List<Double> redisCpuCrossNode,
                  List<Double> redisCpuSameNode) {
    }

    static Result run(Path jar, Path work, List<String> jvm, String cpus, String secret, int redisPort, int[] ports,
                      int subscribers, double[] rates, double stepSeconds) throws Exception {
        Files.createDirectories(work);
        Process redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start();
        try {
            awaitRedis(redisPort);
            Map<String, String> env = Map.of("RIVULET_BROKER", "redis",
                    "RIVULET_REDIS_URI", "redis://127.0.0.1:" + redisPort);
            RivuletTarget a = new RivuletTarget(jar, work.resolve("node-a"), ports[0], jvm, cpus, secret, env);
            RivuletTarget b = new RivuletTarget(jar, work.resolve("node-b"), ports[1], jvm, cpus, secret, env);
            a.start();
            b.start();
            try {
                // A first round warms both JVMs up, so neither measured round pays for the JIT.
                System.err.println("  cluster: warm-up");
                new Fanout(b, a, stepSeconds, 8).oneTopic(subscribers, new double[] {rates[0], rates[rates.length / 2]});
                new Fanout(a, b, stepSeconds, 8).oneTopic(subscribers, new double[] {rates[0], rates[rates.length / 2]});
                Thread.sleep(3000);
                System.err.println("  cluster: subscribers and publishers on A");
                List<Double> sameCpu = new ArrayList<>();
                SteppedRun same = sampled(redis, sameCpu, () -> new Fanout(a, a, stepSeconds, 8).oneTopic(subscribers, rates));
                Thread.sleep(3000);
                System.err.println("  cluster: subscribers on B, publishers on A");
                List<Double> crossCpu = new ArrayList<>();
                SteppedRun cross = sampled(redis, crossCpu, () -> new Fanout(b, a, stepSeconds, 8).oneTopic(subscribers, rates));
                return new Result(subscribers, cross, same, crossCpu, sameCpu);
            } finally {
                a.stop();
                b.stop();
            }
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    interface Measured {
        SteppedRun run() throws Exception;
    }

    /** Runs {@code measured} while sampling Redis's CPU share once a step (the share of one CPU, 0 to 1). */
    private static SteppedRun sampled(Process redis, List<Double> shares, Measured measured) throws Exception {
        Thread sampler = new Thread(() -> {
            try {
                long ticks = cpuTicks(redis.pid());
                long at = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    long nowTicks = cpuTicks(redis.pid());
                    long now = System.nanoTime();
                    synchronized (shares) {
                        shares.add((nowTicks - ticks) / 100.0 / ((now - at) / 1e9));
                    }
                    ticks = nowTicks;
                    at = now;
                }
            } catch (InterruptedException | IOException e) {
                // stopped
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        try {
            return measured.run();
        } finally {
            sampler.interrupt();
            sampler.join();
        }
    }

    /** utime + stime of a process, in clock ticks (100 a second on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void awaitRedis(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("redis-server did not listen on " + port + " within 20 s");
    }

    /** The result as the run's JSON holds it. */
    static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", r.subscribers());
        m.put("cross_node", r.crossNode());
        m.put("same_node", r.sameNode());
        m.put("redis_cpu_cross_node", r.redisCpuCrossNode());
        m.put("redis_cpu_same_node", r.redisCpuSameNode());
        return m;
    }
}
