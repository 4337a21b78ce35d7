package dev.rivulet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark suite: starts each server in turn, runs the scenarios against it, stops it, and
 * writes the run's JSON, the Markdown table and the plots into the results folder.
 * Started by bench/run.sh, which describes the options.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        boolean quick = opt.containsKey("quick");
        Path results = Path.of(opt.getOrDefault("results", "results"));
        Path work = Path.of(opt.getOrDefault("work", "target/work")).toAbsolutePath();
        // --servers= (empty) with --cluster runs the cluster alone.
        List<String> servers = names(opt.getOrDefault("servers", "rivulet,nchan"));
        List<String> scenarios = names(opt.getOrDefault("scenarios", "idle,fanout,topics,room,stalled,single"));
        String cpus = opt.getOrDefault("server-cpus", "");
        double stepSeconds = Double.parseDouble(opt.getOrDefault("step-seconds", quick ? "2" : "4"));
        String secret = System.getenv().getOrDefault("RIVULET_JWT_SECRET", BearerToken.DEFAULT_SECRET);
        List<String> jvm = new ArrayList<>(Arrays.asList(opt.getOrDefault("jvm", "-Xms1g -Xmx1g").trim().split("\\s+")));

        Map<String, Object> run = new LinkedHashMap<>();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        run.put("date", LocalDateTime.now().toString());
        run.put("label", opt.getOrDefault("label", ""));
        run.put("quick", quick);
        run.put("machine", Machine.describe());
        run.put("server_cpus", cpus.isEmpty() ? "shared" : cpus);
        run.put("generator_cpus", opt.getOrDefault("generator-cpus", "shared"));
        run.put("rivulet_jvm_options", String.join(" ", jvm));
        run.put("step_seconds", stepSeconds);
        Map<String, Object> byServer = new LinkedHashMap<>();
        run.put("servers", byServer);

        for (String name : servers) {
            Target target = name.equals("nchan")
                    ? new NchanTarget(Path.of(opt.getOrDefault("nchan-conf", "nchan/nginx.conf")), work.resolve("nchan"),
                            Integer.parseInt(opt.getOrDefault("nchan-port", "9482")), cpus)
                    : new RivuletTarget(Path.of(opt.getOrDefault("rivulet-jar", "../target/rivulet.jar")).toAbsolutePath(),
                            work.resolve("rivulet"), Integer.parseInt(opt.getOrDefault("rivulet-port", "9480")), jvm, cpus,
                            secret);
            System.err.printf("%s%n", name);
            Map<String, Object> result = new LinkedHashMap<>();
            byServer.put(name, result);
            target.start();
            try {
                Fanout fanout = new Fanout(target, stepSeconds, 8);
                for (String scenario : scenarios) {
                    settle(target);
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("load_average", Machine.loadAverage());
                    switch (scenario) {
                        case "idle" -> entry.put("result", IdleConnections.run(target,
                                Integer.parseInt(opt.getOrDefault("idle", quick ? "3000" : "15000"))));
                        case "fanout" -> {
                            List<SteppedRun> runs = new ArrayList<>();
                            for (String n : opt.getOrDefault("fanout", quick ? "1,100,1000" : "1,100,1000,5000").split(",")) {
                                settle(target);
                                int subscribers = Integer.parseInt(n.trim());
                                runs.add(fanout.oneTopic(subscribers, fanoutRates(subscribers, quick, opt.get("deliveries"))));
                            }
                            entry.put("result", runs);
                        }
                        case "topics" -> entry.put("result", fanout.manyTopics(quick ? 1000 : 10000,
                                quick ? new double[] {1000, 2000} : new double[] {1000, 2000, 4000, 8000, 16000}));
                        case "room" -> entry.put("result", fanout.room(quick ? 200 : 1000,
                                quick ? new double[] {20, 100} : new double[] {20, 50, 100, 200, 500, 1000}));
                        case "stalled" -> entry.put("result", StalledSubscribers.run(target,
                                counts(opt.getOrDefault("stalled", quick ? "0,100" : "0,100,1000")),
                                Double.parseDouble(opt.getOrDefault("stalled-seconds", quick ? "8" : "20")),
                                work.resolve(name)));
                        case "single" -> entry.put("result", SinglePublisher.run(target,
                                counts(opt.getOrDefault("single", quick ? "1,1000" : "1,1000,5000")),
                                Double.parseDouble(opt.getOrDefault("single-seconds", quick ? "5" : "10"))));
                        default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                    }
                    result.put(scenario, entry);
                }
            } finally {
                target.stop();
            }
        }
        if (opt.containsKey("cluster")) {
            // Two nodes on one Redis, after the single-server scenarios, with the machine to themselves.
            System.err.println("rivulet cluster");
            double[] rates = java.util.Arrays.stream(opt.getOrDefault("cluster-rates", quick ? "1000,10000" : "1000,2000,5000,10000,20000,40000")
                    .split(",")).mapToDouble(Double::parseDouble).toArray();
            run.put("cluster", ClusterRun.json(ClusterRun.run(
                    Path.of(opt.getOrDefault("rivulet-jar", "../target/rivulet.jar")).toAbsolutePath(),
                    work.resolve("cluster"), jvm, cpus, secret, Integer.parseInt(opt.getOrDefault("redis-port", "9486")),
                    new int[] {9480, 9490}, Integer.parseInt(opt.getOrDefault("cluster-subscribers", "10")), rates,
                    stepSeconds)));
        }
        String export = opt.get("export");
        if (export != null && Files.exists(Path.of(export))) {
            run.put("export", Files.readString(Path.of(export)));
        }
        Files.createDirectories(results);
        Path json = results.resolve("run-" + stamp + ".json");
        Files.writeString(json, Json.of(run));
        Report.write(run, results);
        System.err.println("wrote " + json + ", " + results.resolve("summary.md") + " and the plots");
    }

    /**
     * Publish rates for N subscribers on one topic: the same span of deliveries a second for every N,
     * or the span given as --deliveries=A,B,...
     */
    private static double[] fanoutRates(int subscribers, boolean quick, String span) {
        double[] deliveries = span != null ? Arrays.stream(span.split(",")).mapToDouble(Double::parseDouble).toArray()
                : quick ? new double[] {20_000, 100_000}
                : new double[] {10_000, 25_000, 50_000, 100_000, 200_000, 400_000, 800_000};
        double[] rates = new double[deliveries.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = Math.max(1, Math.min(32_000, Math.round(deliveries[i] / subscribers)));
        }
        if (subscribers == 1 && !quick && span == null) {
            rates = new double[] {1000, 2000, 4000, 8000, 16000, 32000};
        }
        return rates;
    }

    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    private static int[] counts(String list) {
        return Arrays.stream(list.split(",")).mapToInt(n -> Integer.parseInt(n.trim())).toArray();
    }

    /** Waits (at most 30 s) until the server has let go of the previous scenario's connections. */
    static void settle(Target target) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (target.connections() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        Thread.sleep(500);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                opt.put(key.substring(0, eq), key.substring(eq + 1));
            } else {
                opt.put(key, "true");
            }
        }
        return opt;
    }
}
