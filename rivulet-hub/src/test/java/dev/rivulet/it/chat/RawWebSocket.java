package dev.rivulet.it.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rivulet.it.HubServer;
import dev.rivulet.it.ResponseHead;
import dev.rivulet.it.ServerProcess.RawResponse;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for clients the JDK's cannot play: one that never reads
 * (its small receive buffer fills and the server's writes stall), one that goes silent without
 * a close frame, one that connects from an address of its own (the JDK's client cannot choose it),
 * and one that wants to see the HTTP answer to a handshake the server refuses. It reads only when
 * the test says so.
 */
public final class RawWebSocket implements AutoCloseable {

    /** One frame as it came off the wire. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return (payload[0] & 0xff) << 8 | payload[1] & 0xff;
        }
    }

    static final int TEXT = 1;
    static final int CLOSE = 8;
    static final int PING = 9;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    /** Connects and completes the opening handshake; the receive buffer is as small as the OS allows. */
    public static RawWebSocket connect(String path) throws IOException {
        return connect(HubServer.port(), null, path);
    }

    /**
     * Connects to the server on {@code port}, from {@code from} (a loopback address such as
     * 127.0.0.2, a client of its own) when not null, and completes the opening handshake.
     */
    public static RawWebSocket connect(int port, InetAddress from, String path) throws IOException {
        RawWebSocket ws = open(port, from, path);
        RawResponse answer = ws.readHandshakeAnswer();
        assertEquals(101, answer.status(), () -> "handshake answer: " + answer);
        return ws;
    }

    /**
     * Sends an opening handshake that the server is expected to refuse, and answers the HTTP
     * response to it, body included; fails when the server upgrades the connection instead.
     */
    public static RawResponse refusedHandshake(int port, InetAddress from, String path) throws IOException {
        try (RawWebSocket ws = open(port, from, path)) {
            RawResponse head = ws.readHandshakeAnswer();
            assertTrue(head.status() != 101, "the server upgraded a connection it should have refused");
            int length = Integer.parseInt(head.header("Content-Length"));
            byte[] body = new byte[length];
            ws.in.readFully(body);
            return new RawResponse(head.status(), head.headers(), new String(body, StandardCharsets.UTF_8));
        }
    }

    private static RawWebSocket open(int port, InetAddress from, String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // before connect, so the window the server sees is small too
        if (from != null) {
            socket.bind(new InetSocketAddress(from, 0));
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout((int) ChatClient.WAIT.toMillis());
        RawWebSocket ws = new RawWebSocket(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        ws.out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        return ws;
    }

    /** The status line and headers of the answer to the handshake; the body, if any, is left unread. */
    private RawResponse readHandshakeAnswer() throws IOException {
        ResponseHead head = ResponseHead.read(in);
        if (head == null) {
            throw new IOException("connection closed during the handshake");
        }
        return new RawResponse(head.status(), head.headers(), "");
    }

    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** An unsolicited pong: a heartbeat from a client that is alive but not reading. */
    public synchronized void sendPong() throws IOException {
        writeFrame(0xA, new byte[0]);
    }

    public synchronized void sendClose(int code) throws IOException {
        writeFrame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        out.write(frame);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
