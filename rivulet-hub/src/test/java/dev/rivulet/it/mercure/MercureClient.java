package dev.rivulet.it.mercure;

import dev.rivulet.it.ChunkedInputStream;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.LineReader;
import dev.rivulet.it.ResponseHead;
import dev.rivulet.it.SseField;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Mercure subscriber on a raw socket: one {@code GET /.well-known/mercure?...} with the headers
 * given, then the body parsed as an {@code EventSource} parses it (fields, one leading space
 * stripped, data lines joined by line feeds, comments skipped), with the raw lines of each frame
 * kept so tests can check the framing itself.
 */
public final class MercureClient implements AutoCloseable {

    /** One dispatched SSE frame: {@code data} is null for a frame without data lines (the opening id, a retry). */
    public record Frame(String id, String type, String data, String retry, List<String> lines) {

        public boolean isEvent() {
            return data != null;
        }
    }

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final LineReader body;
    private final String fixedBody;
    /** The id an EventSource would send back now: the last id: field seen. */
    private String lastEventId;

    private MercureClient(Socket socket, int status, Map<String, String> headers, LineReader body, String fixedBody) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.fixedBody = fixedBody;
    }

    /** Subscribes on the shared server with {@code headers} (name, value, ...). */
    public static MercureClient open(String query, String... headers) {
        return open(HubServer.port(), query, headers);
    }

    /** Subscribes on the server at {@code port}; reads the response head, nothing of the body. */
    public static MercureClient open(int port, String query, String... headers) {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.connect(new InetSocketAddress(HubServer.HOST, port), 10_000);
            StringBuilder request = new StringBuilder("GET /.well-known/mercure?").append(query).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(HubServer.HOST).append(':').append(port).append("\r\n")
                    .append("Accept: text/event-stream\r\n");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream raw = new BufferedInputStream(socket.getInputStream());
            ResponseHead head = ResponseHead.read(raw);
            if (head == null) {
                throw new IOException("connection closed before the status line");
            }
            Map<String, String> h = new LinkedHashMap<>(head.headers());
            InputStream content = raw;
            String fixed = null;
            if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
                content = new ChunkedInputStream(raw);
            } else if (h.get("content-length") != null) {
                fixed = new String(raw.readNBytes(Integer.parseInt(h.get("content-length"))), StandardCharsets.UTF_8);
                content = InputStream.nullInputStream();
            }
            return new MercureClient(socket, head.status(), h, new LineReader(content, true), fixed);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing after a failure
            }
            throw new UncheckedIOException("could not subscribe: " + query, e);
        }
    }

    public int status() {
        return status;
    }

    /** A response header (name case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body of a refusal. */
    public String problem() {
        return fixedBody;
    }

    /** The id an EventSource would resume with now. */
    public String lastEventId() {
        return lastEventId;
    }

    /** The next frame, comments skipped; null when the stream ended. */
    public Frame next() {
        List<String> lines = new ArrayList<>();
        String id = null;
        String type = null;
        String retry = null;
        StringBuilder data = null;
        try {
            for (String line; (line = body.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue; // a comment's blank line
                    }
                    if (id != null) {
                        lastEventId = id;
                    }
                    String text = data == null ? null : data.substring(0, data.length() - 1);
                    return new Frame(id, type, text, retry, List.copyOf(lines));
                }
                if (line.startsWith(":")) {
                    continue;
                }
                lines.add(line);
                SseField f = SseField.parse(line);
                String value = f.value();
                switch (f.name()) {
                    case "id" -> id = value;
                    case "event" -> type = value;
                    case "retry" -> retry = value;
                    case "data" -> (data == null ? data = new StringBuilder() : data).append(value).append('\n');
                    default -> throw new AssertionError("a field no SSE client knows: " + line);
                }
            }
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + READ_TIMEOUT + " (the IT server keeps streams alive every second)", e);
        } catch (IOException e) {
            return null; // the connection ended
        }
    }

    /** The next frame that carries data (an event), skipping frames that only set an id or a retry. */
    public Frame nextEvent() {
        for (Frame f; (f = next()) != null; ) {
            if (f.isEvent()) {
                return f;
            }
        }
        throw new AssertionError("the stream ended before the next event");
    }

    /** The next {@code n} events. */
    public List<Frame> events(int n) {
        List<Frame> out = new ArrayList<>(n);
        while (out.size() < n) {
            out.add(nextEvent());
        }
        return out;
    }

    /** Reads until the stream ends, answering the frames read. */
    public List<Frame> untilEnd() {
        List<Frame> out = new ArrayList<>();
        for (Frame f; (f = next()) != null; ) {
            out.add(f);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
