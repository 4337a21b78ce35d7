package dev.rivulet.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.HdrHistogram.Recorder;

/**
 * One subscriber connection of the load generator: an SSE response (plain or chunked) or a
 * WebSocket. It reads whatever the server sends and looks only for the publish stamp the
 * publisher put in each event, {@code @<nanoTime>@}, so the same reader serves every framing:
 * SSE {@code data:} lines, NDJSON and WebSocket text frames, from Rivulet or nchan.
 */
final class StreamConnection {

    enum Kind { SSE, WEBSOCKET }

    private enum Stage { CONNECTING, HEADERS, BODY, CLOSED }

    private static final int MAX_HEADERS = 16 * 1024;
    /** Latencies above this (in microseconds) are recorded as this. */
    static final long MAX_LATENCY_MICROS = 120_000_000L;

    final SocketChannel channel;
    final Kind kind;
    private final byte[] request;
    private Stage stage = Stage.CONNECTING;

    private final byte[] headers = new byte[MAX_HEADERS];
    private int headerLength;
    private boolean chunked;

    // chunked transfer coding: 0 size digits, 1 rest of size line, 2 data, 3 CRLF after data
    private int chunkStage;
    private long chunkLeft;

    // WebSocket frames: 0 first byte, 1 length byte, 2 extended length, 3 payload
    private int frameStage;
    private int opcode;
    private int lengthBytes;
    private long frameLeft;
    private final byte[] control = new byte[125];
    private int controlLength;

    // the publish stamp: 0 outside, 1 in digits after '@'
    private int stampStage;
    private long stamp;
    private int stampDigits;

    long delivered;

    StreamConnection(SocketChannel channel, Kind kind, byte[] request) {
        this.channel = channel;
        this.kind = kind;
        this.request = request;
    }

    boolean isOpen() {
        return stage == Stage.BODY;
    }

    /** After the TCP connect: sends the request (a few hundred bytes: one write takes it). */
    void connected() throws IOException {
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                Thread.onSpinWait();
            }
        }
        stage = Stage.HEADERS;
    }

    /**
     * Takes bytes read from the socket. Answers 1 when the response headers just arrived with
     * success, -1 when the server refused the stream, 0 otherwise.
     */
    int read(byte[] a, int off, int len, long now, Recorder latencies) throws IOException {
        int result = 0;
        if (stage == Stage.HEADERS) {
            int end = off + len;
            int i = off;
            while (i < end && stage == Stage.HEADERS) {
                if (headerLength == MAX_HEADERS) {
                    throw new IOException("response headers too long");
                }
                headers[headerLength++] = a[i++];
                if (headerLength >= 4 && headers[headerLength - 1] == '\n' && headers[headerLength - 2] == '\r'
                        && headers[headerLength - 3] == '\n' && headers[headerLength - 4] == '\r') {
                    result = headersDone() ? 1 : -1;
                    if (result < 0) {
                        stage = Stage.CLOSED;
                        return result;
                    }
                    stage = Stage.BODY;
                }
            }
            len = end - i;
            off = i;
        }
        if (stage == Stage.BODY && len > 0) {
            body(a, off, len, now, latencies);
        }
        return result;
    }

    private boolean headersDone() {
        String text = new String(headers, 0, headerLength, StandardCharsets.ISO_8859_1);
        int sp = text.indexOf(' ');
        int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
        String lower = text.toLowerCase(Locale.ROOT);
        chunked = lower.contains("\ntransfer-encoding: chunked");
        return kind == Kind.WEBSOCKET ? status == 101 : status == 200;
    }

    private void body(byte[] a, int off, int len, long now, Recorder latencies) throws IOException {
        if (!chunked) {
            content(a, off, len, now, latencies);
            return;
        }
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (chunkStage) {
                case 0 -> {
                    byte b = a[i++];
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        chunkLeft = chunkLeft * 16 + digit;
                    } else {
                        chunkStage = b == '\n' ? (chunkLeft == 0 ? 0 : 2) : 1;
                    }
                }
                case 1 -> {
                    if (a[i++] == '\n') {
                        chunkStage = 2;
                    }
                }
                case 2 -> {
                    int n = (int) Math.min(chunkLeft, end - i);
                    content(a, i, n, now, latencies);
                    i += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        chunkStage = 3;
                    }
                }
                default -> {
                    if (a[i++] == '\n') {
                        chunkStage = 0;
                    }
                }
            }
        }
    }

    private void content(byte[] a, int off, int len, long now, Recorder latencies) throws IOException {
        if (kind == Kind.SSE) {
            scan(a, off, len, now, latencies);
            return;
        }
        int end = off + len;
        int i = off;
        while (i < end) {
            switch (frameStage) {
                case 0 -> {
                    opcode = a[i++] & 0x0f;
                    frameStage = 1;
                }
                case 1 -> {
                    int b = a[i++] & 0x7f;
                    frameLeft = 0;
                    controlLength = 0;
                    if (b == 126 || b == 127) {
                        lengthBytes = b == 126 ? 2 : 8;
                        frameStage = 2;
                    } else {
                        frameLeft = b;
                        frameStage = 3;
                        if (frameLeft == 0) {
                            frameDone();
                        }
                    }
                }
                case 2 -> {
                    frameLeft = (frameLeft << 8) | (a[i++] & 0xff);
                    if (--lengthBytes == 0) {
                        frameStage = 3;
                        if (frameLeft == 0) {
                            frameDone();
                        }
                    }
                }
                default -> {
                    int n = (int) Math.min(frameLeft, end - i);
                    if (opcode >= 8) {
                        System.arraycopy(a, i, control, controlLength, n);
                        controlLength += n;
                    } else {
                        scan(a, i, n, now, latencies);
                    }
                    i += n;
                    frameLeft -= n;
                    if (frameLeft == 0) {
                        frameDone();
                    }
                }
            }
        }
    }

    /** A ping is answered with its pong, so the server keeps the member in its room. */
    private void frameDone() throws IOException {
        frameStage = 0;
        if (opcode == 9) {
            ByteBuffer pong = ByteBuffer.allocate(6 + controlLength);
            pong.put((byte) 0x8A).put((byte) (0x80 | controlLength)).putInt(0).put(control, 0, controlLength).flip();
            while (pong.hasRemaining()) {
                channel.write(pong);
            }
        } else if (opcode == 8) {
            throw new IOException("closed by the server");
        }
    }

    private void scan(byte[] a, int off, int len, long now, Recorder latencies) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = a[i];
            if (b == '@') {
                if (stampStage == 1 && stampDigits > 0) {
                    long micros = (now - stamp) / 1000;
                    latencies.recordValue(Math.max(0, Math.min(micros, MAX_LATENCY_MICROS)));
                    delivered++;
                    stampStage = 0;
                } else {
                    stampStage = 1;
                    stamp = 0;
                    stampDigits = 0;
                }
            } else if (stampStage == 1) {
                if (b >= '0' && b <= '9') {
                    stamp = stamp * 10 + (b - '0');
                    stampDigits++;
                } else {
                    stampStage = 0;
                }
            }
        }
    }

    void close() {
        stage = Stage.CLOSED;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
