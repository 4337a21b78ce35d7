package dev.rivulet.it;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a UTF-8 byte stream into lines. For SSE every line ending the specification knows ends a
 * line (CRLF, LF, and a lone CR), as a browser's EventSource splits them, so a stray CR on the wire
 * shows up as an extra line; for NDJSON only LF (optionally after CR) ends a line.
 */
public final class LineReader {

    private final InputStream in;
    private final boolean loneCrEndsLine;
    private final byte[] buffer = new byte[16 * 1024];
    private int pos;
    private int limit;
    private boolean skipLf;

    public LineReader(InputStream in, boolean loneCrEndsLine) {
        this.in = in;
        this.loneCrEndsLine = loneCrEndsLine;
    }

    /**
     * The next line without its terminator; null when the stream ends between lines. A stream that
     * ends in the middle of a line is an {@link EOFException}.
     */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    if (line == null || line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended inside a line: '" + line.toString(StandardCharsets.UTF_8) + "'");
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buffer[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            int start = pos;
            while (pos < limit) {
                byte b = buffer[pos];
                if (b == '\n' || (b == '\r' && loneCrEndsLine)) {
                    String text = text(line, start, pos);
                    pos++;
                    skipLf = b == '\r';
                    return text;
                }
                pos++;
            }
            if (line == null) {
                line = new ByteArrayOutputStream();
            }
            line.write(buffer, start, pos - start);
        }
    }

    private String text(ByteArrayOutputStream head, int start, int end) {
        int to = end;
        if (!loneCrEndsLine && to > start && buffer[to - 1] == '\r' && head == null) {
            to--; // CRLF in NDJSON
        }
        if (head == null) {
            return new String(buffer, start, to - start, StandardCharsets.UTF_8);
        }
        head.write(buffer, start, to - start);
        byte[] all = head.toByteArray();
        int n = all.length;
        if (!loneCrEndsLine && n > 0 && all[n - 1] == '\r') {
            n--;
        }
        return new String(all, 0, n, StandardCharsets.UTF_8);
    }
}
