package dev.rivulet.it.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rivulet.it.ChunkedInputStream;
import dev.rivulet.it.HubServer;
import dev.rivulet.it.LineReader;
import dev.rivulet.it.ResponseHead;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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

/**
 * A subscriber on a raw socket: sends one HTTP/1.1 GET for a stream, reads the response head,
 * de-chunks the body and parses it into {@link StreamMessage}s, SSE frames or NDJSON lines. Every
 * read has a timeout (the IT server sends a keep-alive at least every second, so a read that waits
 * longer means the server is broken). The connection can end gracefully or abortively (RST).
 */
public final class EventStreamClient implements AutoCloseable {

    public enum Format {
        SSE("text/event-stream"),
        NDJSON("application/x-ndjson");

        final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final Format format;
    private final String request;
    private final InputStream raw;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private ChunkedInputStream chunked;
    private LineReader body;
    private String opening;
    private boolean ended;
    private boolean cutOff;
    /** The whole body of a response that is not a stream (a problem), read with the head. */
    private String fixedBody;

    private EventStreamClient(Socket socket, Format format, String request) throws IOException {
        this.socket = socket;
        this.format = format;
        this.request = request;
        this.raw = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }

    /** Subscribes and waits for the opening message; fails unless the server answers 200. */
    public static EventStreamClient open(String pathAndQuery, Format format) {
        return open(pathAndQuery, format, null);
    }

    /** Subscribes with {@code Last-Event-ID} (when not null) and waits for the opening message. */
    public static EventStreamClient open(String pathAndQuery, Format format, String lastEventId) {
        return open(HubServer.port(), null, pathAndQuery, format, lastEventId);
    }

    /**
     * Subscribes to the server on {@code port} (from {@code localAddress}, a loopback address such as
     * 127.0.0.2, when not null: a client of its own) and waits for the opening message.
     */
    public static EventStreamClient open(int port, InetAddress localAddress, String pathAndQuery, Format format,
                                  String lastEventId) {
        EventStreamClient client = connect(port, localAddress, pathAndQuery, format, lastEventId, 0);
        try {
            client.readHead();
            assertEquals(200, client.status(), () -> "GET " + pathAndQuery + " answered " + client.status()
                    + " " + client.headers + " " + client.bodyText());
            client.opening();
            return client;
        } catch (RuntimeException | Error e) {
            client.abort();
            throw e;
        }
    }

    /**
     * Connects and sends the request, reading nothing. {@code receiveBuffer} (when above 0) is set
     * on the socket before it connects, so it bounds the TCP window the server may fill.
     */
    static EventStreamClient connect(String pathAndQuery, Format format, String lastEventId, int receiveBuffer) {
        return connect(HubServer.port(), null, pathAndQuery, format, lastEventId, receiveBuffer);
    }

    /** The same against the server on {@code port}, from {@code localAddress} when it is not null. */
    public static EventStreamClient connect(int port, InetAddress localAddress, String pathAndQuery, Format format,
                                     String lastEventId, int receiveBuffer) {
        Socket socket = new Socket();
        try {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            InetSocketAddress server;
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
                server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            } else {
                server = new InetSocketAddress(HubServer.HOST, port);
            }
            socket.connect(server, CONNECT_TIMEOUT_MILLIS);
            StringBuilder request = new StringBuilder()
                    .append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(HubServer.HOST).append(':').append(port).append("\r\n")
                    .append("Accept: ").append(format.mediaType).append("\r\n");
            if (lastEventId != null) {
                request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
            }
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new EventStreamClient(socket, format, "GET " + pathAndQuery);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("could not subscribe: GET " + pathAndQuery, e);
        }
    }

    /** Reads the status line and headers; the body is then ready to read. */
    void readHead() {
        if (status != 0) {
            return;
        }
        try {
            ResponseHead head = ResponseHead.read(raw);
            if (head == null) {
                throw new EOFException("connection closed before the status line");
            }
            status = head.status();
            headers.putAll(head.headers());
            InputStream content;
            if ("chunked".equalsIgnoreCase(header("transfer-encoding"))) {
                chunked = new ChunkedInputStream(raw);
                content = chunked;
            } else if (header("content-length") != null && status != 200) {
                // A refusal: a complete document, not a stream of lines.
                fixedBody = new String(raw.readNBytes(Integer.parseInt(header("content-length"))), StandardCharsets.UTF_8);
                content = InputStream.nullInputStream();
            } else if (header("content-length") != null) {
                content = new BoundedInputStream(raw, Long.parseLong(header("content-length")));
            } else {
                content = raw;
            }
            body = new LineReader(content, format == Format.SSE);
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": reading the response head failed", e);
        }
    }

    public int status() {
        readHead();
        return status;
    }

    /** A response header (name case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The cursor of the opening message, which must be the first thing on the stream. */
    String opening() {
        if (opening == null) {
            StreamMessage first = next();
            assertNotNull(first, request + ": the stream ended before its opening message");
            if (first.kind() != StreamMessage.Kind.OPEN) {
                fail(request + ": the stream did not begin with the opening message but with " + first);
            }
            opening = first.id();
        }
        return opening;
    }

    /**
     * The next message, keep-alives included; null when the server has ended the stream (the
     * terminating chunk, or the connection closed between messages).
     */
    StreamMessage next() {
        readHead();
        if (ended) {
            return null;
        }
        try {
            StreamMessage m = format == Format.SSE ? nextFrame() : nextLine();
            if (m == null) {
                ended = true;
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(request + ": reading the stream failed", e);
        }
    }

    /**
     * Like {@link #next}, for a client that stopped reading: the server may have cut its connection
     * off in the middle of a message (its write deadline passed), which ends the stream here too;
     * {@link #cutOff} then says so.
     */
    StreamMessage nextUntilCutOff() {
        try {
            return next();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof java.io.EOFException || e.getCause() instanceof java.net.SocketException) {
                ended = true;
                cutOff = true;
                return null;
            }
            throw e;
        }
    }

    /** True when the server cut the connection off inside a message rather than ending the stream. */
    boolean cutOff() {
        return cutOff;
    }

    /** The next message that is not a keep-alive; null at end of stream; fails after {@code within}. */
    public StreamMessage nextMessage(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            StreamMessage m = next();
            if (m == null || !m.isKeepAlive()) {
                return m;
            }
            if (System.nanoTime() - deadline > 0) {
                fail(request + ": no message within " + within.toSeconds() + " s, only keep-alives");
            }
        }
    }

    /**
     * Every message except keep-alives up to and including the event with id {@code lastId}; fails
     * if the stream ends first or {@code within} passes.
     */
    public List<StreamMessage> readThrough(String lastId, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        List<StreamMessage> out = new ArrayList<>();
        while (true) {
            if (System.nanoTime() - deadline > 0) {
                fail(request + ": event " + lastId + " did not arrive within " + within.toSeconds()
                        + " s; received " + out.size() + " messages, last " + (out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            StreamMessage m = next();
            if (m == null) {
                fail(request + ": the stream ended before event " + lastId + "; received " + out.size()
                        + " messages, last " + (out.isEmpty() ? null : out.get(out.size() - 1)));
            }
            if (m.isKeepAlive()) {
                continue;
            }
            out.add(m);
            if (m.isEvent() && lastId.equals(m.id())) {
                return out;
            }
        }
    }

    /** True once the server has ended the stream and this client has read to its end. */
    boolean ended() {
        return ended;
    }

    /** True when the server ended the response with the terminating chunk (as opposed to a closed connection). */
    public boolean endedWithLastChunk() {
        return chunked != null && chunked.ended();
    }

    /** The whole body of a non-streaming answer (e.g. a problem), for failure messages. */
    public String bodyText() {
        if (fixedBody != null) {
            return fixedBody;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String line;
            while (body != null && out.size() < 8192 && (line = body.readLine()) != null) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "(body unreadable: " + e + ")";
        }
    }

    void setReadTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the connection gracefully (FIN). */
    @Override
    public void close() {
        closeQuietly(socket);
    }

    /** Closes the connection abortively: SO_LINGER 0 makes the close send a RST. */
    public void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // the socket is already unusable; closing it is all that is left
        }
        closeQuietly(socket);
    }

    private StreamMessage nextFrame() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = body.readLine()) != null) {
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // stray blank line: dispatches nothing
                }
                return StreamMessage.fromSseFrame(lines);
            }
            lines.add(line);
        }
        if (!lines.isEmpty()) {
            throw new EOFException("stream ended inside an SSE frame: " + lines);
        }
        return null;
    }

    private StreamMessage nextLine() throws IOException {
        String line = body.readLine();
        return line == null ? null : StreamMessage.fromNdjsonLine(line);
    }


    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing is best effort
        }
    }

    /** A body with a Content-Length: ends after that many bytes. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = in.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
