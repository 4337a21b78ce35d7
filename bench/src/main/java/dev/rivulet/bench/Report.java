package dev.rivulet.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human side of a run: summary.md, a table of Rivulet beside nchan with their ratio and one
 * table of steps per scenario, and the plots latency-vs-rate.png and memory-vs-connections.png.
 */
final class Report {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e)};

    private Report() {
    }

    @SuppressWarnings("unchecked")
    static void write(Map<String, Object> run, Path dir) throws IOException {
        Map<String, Map<String, Object>> servers = (Map<String, Map<String, Object>>) run.get("servers");
        Map<String, Object> riv = servers.getOrDefault("rivulet", Map.of());
        Map<String, Object> nch = servers.getOrDefault("nchan", Map.of());
        StringBuilder md = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) run.get("machine");
        md.append("# Run of ").append(run.get("date")).append("\n\n")
                .append(String.format("Machine: %s CPUs (%s), %s, %s, %s. Load average at start: %s. Server CPUs: %s. "
                                + "Rivulet JVM: `%s`. Steps of %s s.%n%n",
                        machine.get("cpus"), machine.get("cpu_model"), machine.get("memory"), machine.get("os"),
                        machine.get("java"), machine.get("load_average_at_start"), run.get("server_cpus"),
                        run.get("rivulet_jvm_options"), run.get("step_seconds")));
        if (!"".equals(run.get("label"))) {
            md.append("Label: ").append(run.get("label")).append("\n\n");
        }
        md.append("| scenario | Rivulet | nchan | Rivulet / nchan |\n| --- | ---: | ---: | ---: |\n");
        List<SteppedRun> rf = stepped(riv, "fanout");
        List<SteppedRun> nf = stepped(nch, "fanout");
        for (int n : new int[] {1, 100, 1000, 5000}) {
            SteppedRun r = find(rf, n);
            SteppedRun c = find(nf, n);
            if (r == null && c == null) {
                continue;
            }
            rows(md, "SSE fan-out, " + n + " subscriber" + (n == 1 ? "" : "s"), r, c);
        }
        rows(md, "10,000 topics, one SSE subscriber each", first(stepped(riv, "topics")), first(stepped(nch, "topics")));
        rows(md, "WebSocket room, 1,000 members", first(stepped(riv, "room")), first(stepped(nch, "room")));
        IdleConnections.Result ri = idle(riv);
        IdleConnections.Result ni = idle(nch);
        if (ri != null || ni != null) {
            int n = ri != null ? ri.asked() : ni.asked();
            row(md, String.format("%,d idle SSE connections: RSS per connection (KiB)", n),
                    ri == null ? null : ri.rssPerConnectionKiB(), ni == null ? null : ni.rssPerConnectionKiB(), "%.1f");
            row(md, "... heap per connection after GC (KiB)", ri == null ? null : ri.heapPerConnectionKiB(), null, "%.1f");
            row(md, "... seconds to open them all", ri == null ? null : ri.openSeconds(), ni == null ? null : ni.openSeconds(), "%.1f");
            row(md, "... opened", ri == null ? null : (double) ri.opened(), ni == null ? null : (double) ni.opened(), "%,.0f");
        }
        stalledRows(md, list(riv, "stalled"), list(nch, "stalled"));
        singleRows(md, list(riv, "single"), list(nch, "single"));
        md.append("\n\"Sustained\" is the highest step at which every subscriber got at least 95% of what was due, "
                + "with p99 under 1 s and no subscriber cut off; its latencies are those of that step. "
                + "For throughput a ratio above 1 favours Rivulet; for latency and memory, below 1 does.\n");
        for (Map.Entry<String, Map<String, Object>> s : servers.entrySet()) {
            for (String scenario : List.of("fanout", "topics", "room")) {
                for (SteppedRun r : stepped(s.getValue(), scenario)) {
                    md.append(String.format("%n### %s: %s, %,d subscribers (%,d connected in %.1f s; load %s)%n%n",
                            s.getKey(), r.scenario(), r.subscribers(), r.connected(), r.openSeconds(),
                            ((Map<String, Object>) s.getValue().get(scenario)).get("load_average")));
                    md.append("| publish/s asked | published/s | deliveries/s | p50 ms | p99 ms | max ms | lost | |\n"
                            + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
                    for (Step st : r.steps()) {
                        md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %,.0f | %.2f | %.2f | %.1f | %d | %s |%n",
                                st.targetRate(), st.publishRate(), st.deliveriesPerSecond(), st.p50Ms(), st.p99Ms(),
                                st.maxMs(), st.lost(), st.behind() ? "behind" : ""));
                    }
                }
            }
        }
        for (Map.Entry<String, Map<String, Object>> s : servers.entrySet()) {
            stalledTables(md, s.getKey(), s.getValue());
            singleTable(md, s.getKey(), s.getValue());
        }
        if (run.get("export") != null) {
            md.append("\n## Export of log rows (bench/export-benchmark.sh)\n\n").append(run.get("export")).append('\n');
        }
        Files.writeString(dir.resolve("summary.md"), md.toString());
        plots(servers, dir);
    }

    private static void rows(StringBuilder md, String name, SteppedRun r, SteppedRun c) {
        if (r == null && c == null) {
            return;
        }
        Step rs = r == null ? null : r.sustained();
        Step cs = c == null ? null : c.sustained();
        row(md, name + ": sustained deliveries/s", rs == null ? null : rs.deliveriesPerSecond(),
                cs == null ? null : cs.deliveriesPerSecond(), "%,.0f");
        row(md, "... p50 / p99 / max latency there (ms)", rs == null ? null : rs.p99Ms(), cs == null ? null : cs.p99Ms(),
                null, rs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f / %.1f", rs.p50Ms(), rs.p99Ms(), rs.maxMs()),
                cs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f / %.1f", cs.p50Ms(), cs.p99Ms(), cs.maxMs()));
    }

    /** The comparison at the most stalled subscribers both servers ran (or either ran). */
    private static void stalledRows(StringBuilder md, List<StalledSubscribers.Result> r,
                                    List<StalledSubscribers.Result> c) {
        if (r.isEmpty() && c.isEmpty()) {
            return;
        }
        int n = (r.isEmpty() ? c : r).stream().mapToInt(StalledSubscribers.Result::stalled).max().orElse(0);
        StalledSubscribers.Result rs = r.stream().filter(x -> x.stalled() == n).findFirst().orElse(null);
        StalledSubscribers.Result cs = c.stream().filter(x -> x.stalled() == n).findFirst().orElse(null);
        StalledSubscribers.Result any = rs != null ? rs : cs;
        row(md, String.format("%d SSE readers beside %,d stalled subscribers: publishes/s (%.0f asked)", any.readers(), n,
                any.askedRate()), rs == null ? null : rs.publishRate(), cs == null ? null : cs.publishRate(), "%,.1f");
        row(md, "... longest wait for a publish's answer (ms)", rs == null ? null : rs.longestGapMs(),
                cs == null ? null : cs.longestGapMs(), "%,.0f");
        row(md, "... readers' p50 / p99 / max latency (ms)", rs == null ? null : rs.p99Ms(), cs == null ? null : cs.p99Ms(),
                null, rs == null ? "n/a" : latencies(rs.p50Ms(), rs.p99Ms(), rs.maxMs()),
                cs == null ? "n/a" : latencies(cs.p50Ms(), cs.p99Ms(), cs.maxMs()));
        row(md, "... readers' p99 / their p99 without stalled subscribers", rs == null ? null : rs.p99VsNoneStalled(),
                cs == null ? null : cs.p99VsNoneStalled(), "%.2f");
        row(md, "... readers' deliveries missing", rs == null ? null : (double) rs.missing(),
                cs == null ? null : (double) cs.missing(), "%,.0f");
        row(md, "... server's OS threads, least to most", null, null, null,
                rs == null ? "n/a" : rs.threadsMin() + " to " + rs.threadsMax(),
                cs == null ? "n/a" : cs.threadsMin() + " to " + cs.threadsMax());
        row(md, "... pool threads waiting in a write / pinned virtual threads (thread dumps, most)", null, null, null,
                dumps(rs), dumps(cs));
        row(md, "... server's RSS, most (MB)", rs == null ? null : rs.rssMaxBytes() / 1048576.0,
                cs == null ? null : cs.rssMaxBytes() / 1048576.0, "%,.0f");
        row(md, "... the host's TCP memory in the kernel, most (MB)", rs == null ? null : rs.tcpKernelMaxBytes() / 1048576.0,
                cs == null ? null : cs.tcpKernelMaxBytes() / 1048576.0, "%,.0f");
    }

    private static String dumps(StalledSubscribers.Result r) {
        if (r == null || r.looks().stream().allMatch(l -> l.threads() == null)) {
            return "n/a";
        }
        int waiting = 0, pinned = 0;
        for (StalledSubscribers.Look l : r.looks()) {
            if (l.threads() != null) {
                waiting = Math.max(waiting, l.threads().executorWaitingInWrite());
                pinned = Math.max(pinned, l.threads().pinned());
            }
        }
        return waiting + " / " + pinned;
    }

    private static void singleRows(StringBuilder md, List<SinglePublisher.Result> r, List<SinglePublisher.Result> c) {
        List<Integer> counts = new ArrayList<>();
        for (SinglePublisher.Result x : r.isEmpty() ? c : r) {
            counts.add(x.subscribers());
        }
        for (int n : counts) {
            SinglePublisher.Result rs = r.stream().filter(x -> x.subscribers() == n).findFirst().orElse(null);
            SinglePublisher.Result cs = c.stream().filter(x -> x.subscribers() == n).findFirst().orElse(null);
            row(md, String.format("one publisher, closed loop, %,d subscriber%s: publishes/s", n, n == 1 ? "" : "s"),
                    rs == null ? null : rs.publishRate(), cs == null ? null : cs.publishRate(), "%,.0f");
            row(md, "... deliveries/s", rs == null ? null : rs.deliveriesPerSecond(),
                    cs == null ? null : cs.deliveriesPerSecond(), "%,.0f");
            row(md, "... publish round trip p50 / p99 (ms)", rs == null ? null : rs.roundTripP99Ms(),
                    cs == null ? null : cs.roundTripP99Ms(), null,
                    rs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f", rs.roundTripP50Ms(), rs.roundTripP99Ms()),
                    cs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f", cs.roundTripP50Ms(), cs.roundTripP99Ms()));
            row(md, "... deliveries' p50 / p99 latency (ms); missing", rs == null ? null : rs.p99Ms(),
                    cs == null ? null : cs.p99Ms(), null,
                    rs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f; %,d", rs.p50Ms(), rs.p99Ms(), rs.missing()),
                    cs == null ? "n/a" : String.format(Locale.ROOT, "%.2f / %.2f; %,d", cs.p50Ms(), cs.p99Ms(), cs.missing()));
        }
    }

    @SuppressWarnings("unchecked")
    private static void stalledTables(StringBuilder md, String server, Map<String, Object> results) {
        List<StalledSubscribers.Result> runs = list(results, "stalled");
        if (runs.isEmpty()) {
            return;
        }
        StalledSubscribers.Result first = runs.get(0);
        md.append(String.format(Locale.ROOT, "%n### %s: stalled subscribers (%d SSE readers, %.0f events/s of %d bytes, "
                        + "%.0f s each; load %s)%n%n", server, first.readers(), first.askedRate(), first.eventBytes(),
                first.seconds(), ((Map<String, Object>) results.get("stalled")).get("load_average")));
        md.append("| stalled (open) | published (/s) | failed | longest wait for an answer ms | publish p99 / max ms "
                        + "| readers' deliveries of due (cut off) | p50 / p99 / max ms | p99 / no stalled | OS threads "
                        + "| RSS MB | kernel TCP MB, most |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (StalledSubscribers.Result r : runs) {
            md.append(String.format(Locale.ROOT, "| %,d (%,d) | %,d (%.1f) | %d | %,.0f | %.1f / %.1f | %,d of %,d (%d) "
                            + "| %s | %s | %d to %d | %,d to %,d | %,d |%n",
                    r.stalled(), r.stalledOpen(), r.published(), r.publishRate(), r.failed(), r.longestGapMs(),
                    r.publishP99Ms(), r.publishMaxMs(), r.delivered(), r.due(), r.readersCutOff(),
                    latencies(r.p50Ms(), r.p99Ms(), r.maxMs()),
                    r.p99VsNoneStalled() == null ? "" : String.format(Locale.ROOT, "%.2f", r.p99VsNoneStalled()),
                    r.threadsMin(), r.threadsMax(), r.rssMinBytes() >> 20, r.rssMaxBytes() >> 20,
                    r.tcpKernelMaxBytes() >> 20));
        }
        md.append("\nLooks during the runs: the server's sockets to the stalled clients (`ss`), and its threads "
                + "(a JSON thread dump, JVM only).\n\n| stalled | at s | sockets open / with a send queue "
                + "(KB queued) | platform threads | virtual threads | virtual in a write | pinned "
                + "| Liberty's pool | pool threads in a write (waiting there) |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (StalledSubscribers.Result r : runs) {
            for (StalledSubscribers.Look l : r.looks()) {
                SocketQueues q = l.stalledSockets();
                ThreadDump t = l.threads();
                md.append(String.format(Locale.ROOT, "| %,d | %.1f | %,d / %,d (%,d) | %s | %s | %s | %s | %s | %s |%n",
                        r.stalled(), l.second(), q.established(), q.withSendQueue(), q.sendQueueBytes() / 1000,
                        t == null ? "n/a" : t.platform(), t == null ? "n/a" : t.virtual(),
                        t == null ? "n/a" : t.virtualInWrite(), t == null ? "n/a" : t.pinned(),
                        t == null ? "n/a" : t.executor(),
                        t == null ? "n/a" : t.executorInWrite() + " (" + t.executorWaitingInWrite() + ")"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void singleTable(StringBuilder md, String server, Map<String, Object> results) {
        List<SinglePublisher.Result> runs = list(results, "single");
        if (runs.isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "%n### %s: one publisher, one connection, closed loop (%.0f s each; load %s)%n%n",
                server, runs.get(0).seconds(), ((Map<String, Object>) results.get("single")).get("load_average")));
        md.append("| subscribers (open) | published/s | round trip p50 / p99 / max ms | deliveries/s "
                + "| delivered of due (missing) | cut off | last delivery after the last publish, s | p50 / p99 / max ms |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (SinglePublisher.Result r : runs) {
            md.append(String.format(Locale.ROOT, "| %,d (%,d) | %,.0f | %s | %,.0f | %,d of %,d (%,d) | %d | %.1f | %s |%n",
                    r.subscribers(), r.connected(), r.publishRate(),
                    latencies(r.roundTripP50Ms(), r.roundTripP99Ms(), r.roundTripMaxMs()), r.deliveriesPerSecond(),
                    r.delivered(), r.due(), r.missing(), r.cutOff(), r.drainSeconds(),
                    latencies(r.p50Ms(), r.p99Ms(), r.maxMs())));
        }
    }

    private static String latencies(double p50, double p99, double max) {
        return String.format(Locale.ROOT, "%.2f / %.2f / %.1f", p50, p99, max);
    }

    /** A scenario's results when they are a list of records, as the stalled and single ones are. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<String, Object> server, String scenario) {
        Object entry = server.get(scenario);
        return entry == null ? List.of() : (List<T>) ((Map<String, Object>) entry).get("result");
    }

    private static void row(StringBuilder md, String name, Double r, Double c, String format) {
        row(md, name, r, c, format, null, null);
    }

    private static void row(StringBuilder md, String name, Double r, Double c, String format, String rText, String cText) {
        String rs = rText != null ? rText : r == null ? "n/a" : String.format(Locale.ROOT, format, r);
        String cs = cText != null ? cText : c == null ? "n/a" : String.format(Locale.ROOT, format, c);
        String ratio = r == null || c == null || c == 0 ? "" : String.format(Locale.ROOT, "%.2f", r / c);
        md.append("| ").append(name).append(" | ").append(rs).append(" | ").append(cs).append(" | ").append(ratio).append(" |\n");
    }

    @SuppressWarnings("unchecked")
    private static List<SteppedRun> stepped(Map<String, Object> server, String scenario) {
        Object entry = server.get(scenario);
        if (entry == null) {
            return List.of();
        }
        Object result = ((Map<String, Object>) entry).get("result");
        if (result instanceof SteppedRun r) {
            return List.of(r);
        }
        return (List<SteppedRun>) result;
    }

    @SuppressWarnings("unchecked")
    private static IdleConnections.Result idle(Map<String, Object> server) {
        Object entry = server.get("idle");
        return entry == null ? null : (IdleConnections.Result) ((Map<String, Object>) entry).get("result");
    }

    private static SteppedRun find(List<SteppedRun> runs, int subscribers) {
        return runs.stream().filter(r -> r.subscribers() == subscribers).findFirst().orElse(null);
    }

    private static SteppedRun first(List<SteppedRun> runs) {
        return runs.isEmpty() ? null : runs.get(0);
    }

    private static void plots(Map<String, Map<String, Object>> servers, Path dir) throws IOException {
        List<Plot.Series> latency = new ArrayList<>();
        List<Plot.Series> memory = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> s : servers.entrySet()) {
            boolean dashed = s.getKey().equals("nchan");
            int i = 0;
            for (SteppedRun r : stepped(s.getValue(), "fanout")) {
                List<double[]> points = new ArrayList<>();
                for (Step st : r.steps()) {
                    points.add(new double[] {st.deliveriesPerSecond(), Math.max(0.01, st.p99Ms())});
                }
                latency.add(new Plot.Series(s.getKey() + ", " + r.subscribers() + " subs", COLORS[i++ % COLORS.length],
                        dashed, points));
            }
            IdleConnections.Result idle = idle(s.getValue());
            if (idle != null) {
                List<double[]> points = new ArrayList<>();
                for (IdleConnections.Sample sample : idle.samples()) {
                    points.add(new double[] {sample.connections(), sample.rssBytes() / 1048576.0});
                }
                memory.add(new Plot.Series(s.getKey() + " RSS", dashed ? COLORS[1] : COLORS[0], dashed, points));
            }
        }
        if (!latency.isEmpty()) {
            Plot.draw(dir.resolve("latency-vs-rate.png"), "SSE fan-out: p99 latency against deliveries/s (solid Rivulet, dashed nchan)",
                    "deliveries per second (log)", "p99 latency, ms (log)", true, true, latency);
        }
        if (!memory.isEmpty()) {
            Plot.draw(dir.resolve("memory-vs-connections.png"), "Idle SSE connections: server resident memory",
                    "open connections", "RSS, MB", false, false, memory);
        }
    }
}
