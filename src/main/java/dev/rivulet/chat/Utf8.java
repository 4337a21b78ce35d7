package dev.rivulet.chat;

/** The UTF-8 size of text, counted without encoding it. */
final class Utf8 {

    private Utf8() {
    }

    /** Bytes {@code s} takes in UTF-8; each half of a surrogate pair counts two, the pair four. */
    static long length(CharSequence s) {
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
}
