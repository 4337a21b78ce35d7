package dev.rivulet.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 response sent with {@code Transfer-Encoding: chunked}, de-chunked. It
 * ends (read answers -1) at the terminating zero-length chunk, which is how the server ends a
 * stream on a connection it keeps open. A connection that closes in the middle of a chunk is an
 * {@link EOFException}: the server broke the framing.
 */
public final class ChunkedInputStream extends InputStream {

    private final InputStream in;
    private long remaining;
    private boolean done;

    public ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    /** True once the terminating chunk has been read: the server ended the response. */
    public boolean ended() {
        return done;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk (" + remaining + " bytes missing)");
        }
        remaining -= n;
        if (remaining == 0) {
            expectCrlf();
        }
        return n;
    }

    /** Reads the next chunk header; false at the last chunk. */
    private boolean nextChunk() throws IOException {
        if (done) {
            return false;
        }
        String header = readFramingLine(in);
        if (header == null) {
            throw new EOFException("connection closed before the terminating chunk");
        }
        int ext = header.indexOf(';');
        String hex = (ext >= 0 ? header.substring(0, ext) : header).trim();
        long size;
        try {
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("malformed chunk size line: '" + header + "'");
        }
        if (size < 0) {
            throw new IOException("negative chunk size: '" + header + "'");
        }
        if (size == 0) {
            // Trailer fields, if any, up to the empty line.
            String trailer;
            while ((trailer = readFramingLine(in)) != null && !trailer.isEmpty()) {
                // ignored
            }
            done = true;
            return false;
        }
        remaining = size;
        return true;
    }

    private void expectCrlf() throws IOException {
        int cr = in.read();
        int lf = in.read();
        if (cr != '\r' || lf != '\n') {
            throw new IOException("chunk data not followed by CRLF (got " + cr + ", " + lf + ")");
        }
    }

    /**
     * One line of HTTP framing (status line, header, chunk size) read byte by byte, so nothing
     * after it is consumed; without its CRLF. Null at the end of the connection.
     */
    static String readFramingLine(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = s.length();
                if (len > 0 && s.charAt(len - 1) == '\r') {
                    s.setLength(len - 1);
                }
                return s.toString();
            }
            s.append((char) c);
            if (s.length() > 8192) {
                throw new IOException("HTTP framing line too long");
            }
        }
        return s.length() == 0 ? null : s.toString();
    }
}
