package dev.rivulet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the kernel holds on the server's side of given client connections, from {@code ss -tan}:
 * whether the server still has each one open (ESTAB) or has closed its side (FIN-WAIT-1 and the
 * like: bytes it wrote wait behind a window the client never opens), and how many bytes wait in
 * their send queues. A stalled client shows as a full Send-Q.
 *
 * @param sockets      server sockets found to those clients
 * @param established  of those, still open on the server's side
 * @param withSendQueue of those, with unsent bytes queued
 * @param sendQueueBytes bytes queued to them, in all
 */
record SocketQueues(int sockets, int established, int withSendQueue, long sendQueueBytes) {

    /** One line for the console. */
    String summary() {
        return String.format("%d of %d server sockets to them still open, %d with a send queue (%,d KB)", established,
                sockets, withSendQueue, sendQueueBytes / 1000);
    }

    static SocketQueues of(int serverPort, List<Integer> clientPorts) throws IOException, InterruptedException {
        Set<Integer> clients = new HashSet<>(clientPorts);
        if (clients.isEmpty()) {
            return new SocketQueues(0, 0, 0, 0);
        }
        Process ss = new ProcessBuilder("ss", "-tanH", "sport = :" + serverPort).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        int sockets = 0, established = 0, queued = 0;
        long bytes = 0;
        for (String line : out.split("\n")) {
            // State Recv-Q Send-Q Local:Port Peer:Port
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            String peer = f[4];
            int port;
            try {
                port = Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1));
            } catch (NumberFormatException notAConnection) {
                continue;
            }
            if (!clients.contains(port)) {
                continue;
            }
            sockets++;
            if (f[0].equals("ESTAB")) {
                established++;
            }
            long sendQ = Long.parseLong(f[2]);
            if (sendQ > 0) {
                queued++;
                bytes += sendQ;
            }
        }
        return new SocketQueues(sockets, established, queued, bytes);
    }
}
