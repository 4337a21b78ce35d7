package dev.rivulet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonLineReaderTest {

    private static List<NdjsonLineReader.Line> lines(byte[] body, int max) throws IOException {
        NdjsonLineReader reader = new NdjsonLineReader(new ByteArrayInputStream(body), max);
        List<NdjsonLineReader.Line> out = new ArrayList<>();
        NdjsonLineReader.Line line;
        while ((line = reader.next()) != null) {
            out.add(line);
        }
        return out;
    }

    private static List<NdjsonLineReader.Line> lines(String body, int max) throws IOException {
        return lines(body.getBytes(StandardCharsets.UTF_8), max);
    }

    @Test
    void linesEndAtLineFeedsAndACarriageReturnBeforeOneIsDropped() throws IOException {
        List<NdjsonLineReader.Line> read = lines("a\r\nb\n\nc", 10);
        assertEquals(List.of("a", "b", "", "c"), read.stream().map(NdjsonLineReader.Line::text).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), read.stream().map(NdjsonLineReader.Line::number).toList());
    }

    @Test
    void aBodyEndingWithALineFeedHasNoEmptyLastLine() throws IOException {
        assertEquals(2, lines("a\nb\n", 10).size());
        assertEquals(0, lines("", 10).size());
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndOneByteMoreIsRejectedAlone() throws IOException {
        String atLimit = "x".repeat(16);
        String over = "y".repeat(17);
        List<NdjsonLineReader.Line> read = lines(atLimit + "\n" + over + "\r\n" + "z\n", 16);
        assertEquals(atLimit, read.get(0).text());
        assertFalse(read.get(1).readable());
        assertEquals("line is longer than 16 bytes", read.get(1).problem());
        assertEquals("z", read.get(2).text(), "the line after an over-long one is read as usual");
        assertEquals(3, read.get(2).number());
    }

    @Test
    void theCarriageReturnOfACrlfDoesNotCountTowardsTheLimit() throws IOException {
        String atLimit = "x".repeat(16);
        assertEquals(atLimit, lines(atLimit + "\r\n", 16).get(0).text());
    }

    @Test
    void anOverLongLineIsSkippedWithoutBeingHeldInMemory() throws IOException {
        // 10 MB in one line, with a reader that may hold 64 bytes: it streams past it.
        long size = 10L << 20;
        InputStream huge = new InputStream() {
            private long left = size;
            private final byte[] tail = "\n{\"after\":1}\n".getBytes(StandardCharsets.UTF_8);
            private int tailPos;

            @Override
            public int read() {
                if (left > 0) {
                    left--;
                    return 'x';
                }
                return tailPos < tail.length ? tail[tailPos++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left > 0) {
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    left -= n;
                    return n;
                }
                if (tailPos == tail.length) {
                    return -1;
                }
                int n = Math.min(len, tail.length - tailPos);
                System.arraycopy(tail, tailPos, b, off, n);
                tailPos += n;
                return n;
            }
        };
        NdjsonLineReader reader = new NdjsonLineReader(huge, 64);
        assertFalse(reader.next().readable());
        assertEquals("{\"after\":1}", reader.next().text());
        assertNull(reader.next());
    }

    @Test
    void linesLongerThanOneReadArriveWhole() throws IOException {
        String a = "a".repeat(100_000);
        String b = "b".repeat(150_000);
        List<NdjsonLineReader.Line> read = lines(a + "\n" + b + "\n", 200_000);
        assertEquals(a, read.get(0).text());
        assertEquals(b, read.get(1).text());
    }

    @Test
    void invalidUtf8IsRejectedForThatLineOnly() throws IOException {
        byte[] body = {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n', 'n', 'e', 'x', 't', '\n'};
        List<NdjsonLineReader.Line> read = lines(body, 10);
        assertEquals("ok", read.get(0).text());
        assertEquals("line is not valid UTF-8", read.get(1).problem());
        assertEquals("next", read.get(2).text());
    }

    @Test
    void multiByteCharactersAndAByteOrderMarkAreRead() throws IOException {
        byte[] text = "{\"m\":\"héllo ✓\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[text.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(text, 0, body, 3, text.length);
        NdjsonLineReader.Line line = lines(body, 100).get(0);
        assertTrue(line.readable());
        assertEquals("{\"m\":\"héllo ✓\"}", line.text());
    }
}
