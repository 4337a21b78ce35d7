package dev.rivulet.it;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange on a raw socket, for requests an HTTP client would refuse to send or would
 * clean up: encoded control characters, malformed escapes, huge headers, lying lengths. The
 * request goes out as the bytes given; the answer is read whole, with a deadline.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * The server's answer. {@code status} is 0 when it closed the connection without one;
     * {@code closed} is true when the connection ended after the answer.
     */
    public record Answer(int status, Map<String, String> headers, String body, boolean closed) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public boolean isProblem() {
            String type = header("Content-Type");
            return type != null && type.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** Sends {@code request} and reads the answer; fails if none arrives within {@code within}. */
    public static Answer exchange(byte[] request, Duration within) {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout((int) within.toMillis());
            socket.connect(new InetSocketAddress(HubServer.HOST, HubServer.port()), 10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // The server may answer and close before it has read everything: read what it said.
            }
            return read(new BufferedInputStream(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + within.toSeconds() + " s", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one answer from a connection, then whether the server closed it. */
    public static Answer read(InputStream in) throws IOException {
        ResponseHead head;
        try {
            head = ResponseHead.read(in);
        } catch (EOFException cutInsideTheHead) {
            throw cutInsideTheHead;
        } catch (IOException reset) {
            head = null;
        }
        if (head == null) {
            return new Answer(0, Map.of(), "", true);
        }
        int status = head.status();
        Map<String, String> headers = head.headers();
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new ChunkedInputStream(in).readAllBytes();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        boolean closed;
        try {
            closed = in.read() < 0;
        } catch (SocketTimeoutException keptOpen) {
            closed = false;
        } catch (IOException reset) {
            closed = true;
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), closed);
    }
}
