package dev.rivulet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Subscribers that stop reading: each connects with a 4 KiB receive buffer (set before the connect,
 * so the window it offers stays small and the server's writes fill it within the first events),
 * sends its request, reads the response head byte by byte (so nothing of the body is taken) and
 * never reads its socket again. They stay open until {@link #close}, whatever the server does:
 * a server that gives up on one closes its own side, and the unread bytes stay where they are.
 */
final class StalledClients implements AutoCloseable {

    static final int RECEIVE_BUFFER = 4096;
    private static final int MAX_HEAD = 16 * 1024;

    private final List<Socket> sockets = new ArrayList<>();
    private int refused;

    /** Opens {@code count} streams, one after another; answers how many the server accepted. */
    int open(InetSocketAddress server, int count, byte[] request) {
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try {
                s.setReceiveBufferSize(RECEIVE_BUFFER);
                s.connect(server, 5000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                String head = head(s.getInputStream());
                sockets.add(s);
                if (!head.startsWith("200", head.indexOf(' ') + 1)) {
                    refused++;
                }
            } catch (IOException e) {
                refused++;
                try {
                    s.close();
                } catch (IOException ignored) {
                    // gone anyway
                }
            }
        }
        return sockets.size() - refused;
    }

    int refused() {
        return refused;
    }

    /** The generator's ports of the open sockets: the server's sockets to them are the stalled ones. */
    List<Integer> localPorts() {
        return sockets.stream().map(Socket::getLocalPort).toList();
    }

    private static String head(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < MAX_HEAD) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the response head ended");
            }
            sb.append((char) c);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 1) == '\n' && sb.charAt(n - 2) == '\r' && sb.charAt(n - 3) == '\n'
                    && sb.charAt(n - 4) == '\r') {
                return sb.toString();
            }
        }
        throw new IOException("response head too long");
    }

    @Override
    public void close() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        sockets.clear();
    }
}
