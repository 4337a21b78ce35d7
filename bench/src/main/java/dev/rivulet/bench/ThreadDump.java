package dev.rivulet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a JVM's JSON thread dump ({@code jcmd PID Thread.dump_to_file -format=json}, JDK 21+) says
 * about the threads a stalled client could hold: how many are virtual, whether a virtual thread
 * is pinned to its carrier, and whether a platform thread of Liberty's pool ("Default Executor")
 * is inside a write. The dump lists every thread once, in its thread containers (virtual threads
 * started with the Thread API are in the root container: the JDK tracks them by default); a
 * virtual thread has {@code "virtual": true}, and a {@code "carrier"} while it is mounted.
 *
 * @param platform         platform threads (Java threads: the OS also counts JIT and GC threads)
 * @param virtual          virtual threads
 * @param virtualInWrite   virtual threads in a socket write (see {@link #inWrite}): writers that
 *                         wait for a client to read
 * @param pinned           virtual threads mounted on a carrier while they wait or block: each holds
 *                         a platform thread
 * @param executor         platform threads of Liberty's pool
 * @param executorInWrite  of those, in a socket write: RUNNABLE in the system call is a write under
 *                         way (a publish's answer)
 * @param executorWaitingInWrite of those, waiting or blocked there: a platform thread a client holds
 * @param examples         up to five threads: pinned ones, the pool's in a write, and the first
 *                         virtual one in a write; name, state, top frames
 */
record ThreadDump(int platform, int virtual, int virtualInWrite, int pinned, int executor, int executorInWrite,
                  int executorWaitingInWrite, List<Map<String, Object>> examples) {

    /** Frames looked at from the top of a stack for a write. */
    private static final int TOP_FRAMES = 12;
    private static final Set<String> WAITS = Set.of("WAITING", "TIMED_WAITING", "BLOCKED");

    @SuppressWarnings("unchecked")
    static ThreadDump read(Path file) throws IOException {
        Map<String, Object> dump = (Map<String, Object>) ((Map<String, Object>) Json.parse(Files.readString(file)))
                .get("threadDump");
        int platform = 0, virtual = 0, virtualInWrite = 0, pinned = 0, executor = 0, executorInWrite = 0;
        int executorWaiting = 0;
        List<Map<String, Object>> examples = new ArrayList<>();
        for (Object c : (List<Object>) dump.get("threadContainers")) {
            for (Object o : (List<Object>) ((Map<String, Object>) c).get("threads")) {
                Map<String, Object> t = (Map<String, Object>) o;
                String name = String.valueOf(t.get("name"));
                String state = String.valueOf(t.get("state"));
                List<Object> stack = (List<Object>) t.getOrDefault("stack", List.of());
                boolean inWrite = inWrite(stack);
                if (Boolean.TRUE.equals(t.get("virtual"))) {
                    virtual++;
                    if (inWrite && virtualInWrite++ == 0) {
                        example(examples, "virtual in a write", name, state, stack);
                    }
                    if (t.get("carrier") != null && WAITS.contains(state)) {
                        pinned++;
                        example(examples, "pinned", name, state, stack);
                    }
                } else {
                    platform++;
                    if (name.startsWith("Default Executor")) {
                        executor++;
                        if (inWrite) {
                            executorInWrite++;
                            if (WAITS.contains(state)) {
                                executorWaiting++;
                            }
                            example(examples, "executor in a write", name, state, stack);
                        }
                    }
                }
            }
        }
        return new ThreadDump(platform, virtual, virtualInWrite, pinned, executor, executorInWrite, executorWaiting,
                examples);
    }

    /** One line for the console. */
    String summary() {
        return String.format("%d platform threads (%d of Liberty's pool, %d of them in a write, %d waiting there), "
                + "%d virtual (%d in a write, %d pinned)", platform, executor, executorInWrite, executorWaitingInWrite,
                virtual, virtualInWrite, pinned);
    }

    /**
     * In a socket write: a write method of the socket layer among the top frames, Liberty's TCP
     * channel (a synchronous write waits in {@code NioTCPWriteRequestContextImpl.processSyncWriteRequest})
     * or the JDK's ({@code sun.nio.ch}, {@code java.net.Socket}). Not any frame named write: a
     * Rivulet writer parked with nothing to write sits in {@code Connection.writeUntilClosed}.
     */
    static boolean inWrite(List<Object> stack) {
        for (int i = 0; i < Math.min(TOP_FRAMES, stack.size()); i++) {
            String frame = String.valueOf(stack.get(i));
            int paren = frame.indexOf('(');
            String method = paren < 0 ? frame : frame.substring(0, paren);
            String name = method.substring(method.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            boolean socketLayer = method.contains(".tcpchannel.") || method.contains("sun.nio.ch.")
                    || method.contains("java.net.Socket");
            if (socketLayer && name.contains("write")) {
                return true;
            }
        }
        return false;
    }

    private static void example(List<Map<String, Object>> examples, String why, String name, String state,
                                List<Object> stack) {
        if (examples.size() < 5) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("why", why);
            e.put("name", name);
            e.put("state", state);
            e.put("top_frames", stack.subList(0, Math.min(TOP_FRAMES, stack.size())));
            examples.add(e);
        }
    }
}
