package dev.rivulet.hub;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as the hub reads it: the size of text, counted without encoding it (what every byte limit
 * is checked with), and strict decoding of what clients send.
 */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * Bytes {@code s} takes in UTF-8. Each half of a surrogate pair counts two, so a pair counts
     * four and the sum over the parts of a text is the size of the whole, wherever it was split:
     * chat counts a message that arrives in parts as they come.
     */
    public static long length(CharSequence s) {
        long bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** {@code bytes} as text; bytes that are not UTF-8 are refused with {@code code}, never replaced. */
    public static String decode(byte[] bytes, String code, String message) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException(code, message);
        }
    }
}
