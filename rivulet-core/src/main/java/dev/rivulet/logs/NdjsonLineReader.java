package dev.rivulet.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Splits an NDJSON body into lines as it arrives, holding at most one line of at most
 * {@code maxLineBytes}: a longer line is skipped to its end and reported, never buffered, so a body
 * of any size passes through in constant memory. LF ends a line; a CR before it is dropped.
 */
public final class NdjsonLineReader {

    /**
     * One line of the body, numbered from 1, {@code bytes} long without its line break.
     * {@code text} is null when the line could not be read, and {@code problem} says why.
     */
    public record Line(long number, long bytes, String text, String problem) {

        public boolean readable() {
            return text != null;
        }
    }

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[CHUNK];
    /** One byte more than a line may hold, for the CR of a CRLF ending. */
    private final byte[] line;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int pos;
    private int limit;
    private int length;
    private boolean tooLong;
    private boolean started;
    private boolean ended;
    private long number;

    public NdjsonLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[maxLineBytes + 1];
    }

    /** The next line, or null when the body has ended. */
    public Line next() throws IOException {
        if (ended) {
            return null;
        }
        length = 0;
        tooLong = false;
        boolean any = false;
        while (true) {
            if (pos == limit) {
                int n = in.read(chunk, 0, CHUNK);
                if (n < 0) {
                    ended = true;
                    return any ? finish() : null;
                }
                pos = 0;
                limit = n;
                if (!started) {
                    started = true;
                    skipByteOrderMark();
                }
                continue;
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            append(start, pos - start);
            if (pos < limit) {
                pos++; // the LF
                return finish();
            }
        }
    }

    private void skipByteOrderMark() {
        if (limit >= 3 && (chunk[0] & 0xff) == 0xEF && (chunk[1] & 0xff) == 0xBB && (chunk[2] & 0xff) == 0xBF) {
            pos = 3;
        }
    }

    private void append(int from, int n) {
        if (tooLong || n == 0) {
            return;
        }
        if (length + n > line.length) {
            tooLong = true;
            return;
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    private Line finish() {
        number++;
        if (!tooLong && length > 0 && line[length - 1] == '\r') {
            length--;
        }
        if (tooLong || length > maxLineBytes) {
            return new Line(number, length, null, "line is longer than " + maxLineBytes + " bytes");
        }
        try {
            return new Line(number, length, utf8.reset().decode(ByteBuffer.wrap(line, 0, length)).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, length, null, "line is not valid UTF-8");
        }
    }
}
