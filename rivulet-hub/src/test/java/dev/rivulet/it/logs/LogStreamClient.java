package dev.rivulet.it.logs;

import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.ChunkedInputStream;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.LineReader;
import dev.rivulet.it.ResponseHead;
import jakarta.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A {@code GET /api/logs} on a raw socket, for exports and tails that a test reads at its own
 * pace, leaves in the middle, or stops reading (with a small receive window). Decodes chunked and
 * gzip bodies; reads NDJSON lines or SSE frames. Every read has a timeout.
 */
public final class LogStreamClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** One SSE frame: its {@code id}, {@code event}, joined {@code data}, and {@code retry} (null when none). */
    public record Frame(String id, String event, String data, String retry) {
    }

    private final Socket socket;
    private final String request;
    private final InputStream raw;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int status;
    private LineReader body;
    private InputStream content;

    private LogStreamClient(Socket socket, String request) throws IOException {
        this.socket = socket;
        this.request = request;
        this.raw = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /**
     * Sends {@code GET pathAndQuery} with the given header names and values and reads the response
     * head. {@code receiveBuffer} (when above 0) bounds the TCP window the server may fill.
     */
    public static LogStreamClient open(String pathAndQuery, int receiveBuffer, String... headerNamesAndValues) {
        return open(HubServer.port(), null, pathAndQuery, receiveBuffer, headerNamesAndValues);
    }

    /** The same against the server on {@code port}, from {@code localAddress} when it is not null. */
    public static LogStreamClient open(int port, InetAddress localAddress, String pathAndQuery, int receiveBuffer,
                                String... headerNamesAndValues) {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            } else {
                socket.connect(new InetSocketAddress(HubServer.HOST, port), 10_000);
            }
            StringBuilder head = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(HubServer.HOST).append(':').append(port).append("\r\n");
            boolean authorized = false;
            for (int i = 0; i < headerNamesAndValues.length; i += 2) {
                head.append(headerNamesAndValues[i]).append(": ").append(headerNamesAndValues[i + 1]).append("\r\n");
                authorized |= headerNamesAndValues[i].equalsIgnoreCase("Authorization");
            }
            if (!authorized) {
                // The README's token, unless the test brings its own.
                head.append("Authorization: ").append(HubServer.AUTHORIZATION).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            LogStreamClient client = new LogStreamClient(socket, "GET " + pathAndQuery);
            client.readHead();
            return client;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("GET " + pathAndQuery + " failed", e);
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next NDJSON line, keep-alive (empty) lines included; null when the response has ended. */
    String nextLine() {
        try {
            return body.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": reading failed", e);
        }
    }

    /** The next log entry, skipping keep-alive lines; null when the response has ended. */
    public JsonObject nextEntry() {
        String line;
        while ((line = nextLine()) != null) {
            if (!line.isEmpty()) {
                return HubServer.json(line).asJsonObject();
            }
        }
        return null;
    }

    /** The next {@code count} entries; fails if the response ends first. */
    List<JsonObject> nextEntries(int count) {
        List<JsonObject> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            JsonObject e = nextEntry();
            if (e == null) {
                fail(request + ": the response ended after " + out.size() + " of " + count + " entries");
            }
            out.add(e);
        }
        return out;
    }

    /** The next SSE frame that is not a comment; null when the response has ended. */
    public Frame nextFrame() {
        try {
            String id = null;
            String event = null;
            String retry = null;
            List<String> data = new ArrayList<>();
            boolean any = false;
            String line;
            while ((line = body.readLine()) != null) {
                if (line.isEmpty()) {
                    if (any) {
                        return new Frame(id, event, data.isEmpty() ? null : String.join("\n", data), retry);
                    }
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                any = true;
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data.add(value);
                    case "retry" -> retry = value;
                    default -> fail(request + ": unexpected SSE field " + line);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": reading failed", e);
        }
    }

    /** The rest of the body as text, for failure messages. */
    public String rest() {
        try {
            return new String(content.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Closes the connection gracefully (FIN). */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Closes the connection abortively: SO_LINGER 0 makes the close send a RST. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing is all that is left
        }
        close();
    }

    private void readHead() throws IOException {
        ResponseHead head = ResponseHead.read(raw);
        if (head == null) {
            throw new EOFException(request + ": connection closed before the status line");
        }
        status = head.status();
        headers.putAll(head.headers());
        InputStream in;
        if ("chunked".equalsIgnoreCase(header("transfer-encoding"))) {
            in = new ChunkedInputStream(raw);
        } else if (header("content-length") != null) {
            in = new java.io.ByteArrayInputStream(raw.readNBytes(Integer.parseInt(header("content-length"))));
        } else {
            in = raw;
        }
        if ("gzip".equalsIgnoreCase(header("content-encoding"))) {
            in = new GZIPInputStream(in, 8192);
        }
        content = in;
        boolean sse = header("content-type") != null && header("content-type").startsWith("text/event-stream");
        body = new LineReader(in, sse);
    }
}
