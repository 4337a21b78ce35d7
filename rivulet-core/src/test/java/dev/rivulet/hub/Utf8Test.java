package dev.rivulet.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

    @ParameterizedTest
    @ValueSource(strings = {"", "ascii", "é", "日本語", "\uD83D\uDE00 emoji", "mixed é 日 \uD83D\uDE00 \u0000 \u07FF \u0800 \uFFFF"})
    void countsWhatTheEncoderWouldWrite(String s) {
        assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.length(s));
    }

    @Test
    void countsEveryEncodingWidth() {
        assertEquals(10, Utf8.length("a\u00e9\u20ac\uD83D\uDE00")); // 1 + 2 + 3 + 4 bytes
    }

    @Test
    void aSurrogatePairSplitBetweenTwoPartsCountsTheSameAsWhole() {
        String whole = "ab\uD83D\uDE00cd";
        assertEquals(Utf8.length(whole), Utf8.length(whole.substring(0, 3)) + Utf8.length(whole.substring(3)));
    }
}
