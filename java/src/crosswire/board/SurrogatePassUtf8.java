package crosswire.board;

import java.io.ByteArrayOutputStream;

/**
 * A board text on the bench: UTF-8, except that a lone surrogate is its 3-byte sequence, as
 * Python's {@code "utf-8", "surrogatepass"} writes it, so every Java string has a form (the
 * JDK's UTF-8 charset would turn a lone surrogate into '?'). A surrogate pair is one character,
 * 4 bytes, as in plain UTF-8. Mirrors {@code TEXT_ENCODING} in the Python publisher and
 * subscriber.
 */
final class SurrogatePassUtf8 {

    private SurrogatePassUtf8() {
    }

    static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (Character.isHighSurrogate((char) c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, text.charAt(++i));
            }
            if (c < 0x80) {
                out.write(c);
            } else if (c < 0x800) {
                out.write(0xC0 | c >> 6);
                out.write(0x80 | c & 0x3F);
            } else if (c < 0x10000) {
                out.write(0xE0 | c >> 12);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
            } else {
                out.write(0xF0 | c >> 18);
                out.write(0x80 | c >> 12 & 0x3F);
                out.write(0x80 | c >> 6 & 0x3F);
                out.write(0x80 | c & 0x3F);
            }
        }
        return out.toByteArray();
    }

    /**
     * The text {@code bytes} spell.
     *
     * @throws IllegalArgumentException naming the first byte that is not UTF-8 (shortest
     *     forms only; encoded surrogates are allowed)
     */
    static String decode(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b0 = bytes[i] & 0xFF;
            int need;
            int min;
            int cp;
            if (b0 < 0x80) {
                text.append((char) b0);
                i++;
                continue;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                min = 0x80;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                min = 0x800;
                cp = b0 & 0x0F;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                min = 0x10000;
                cp = b0 & 0x07;
            } else {
                throw new IllegalArgumentException(notUtf8(i));
            }
            if (i + need >= bytes.length) {
                throw new IllegalArgumentException(notUtf8(i));
            }
            for (int k = 1; k <= need; k++) {
                int b = bytes[i + k] & 0xFF;
                if ((b & 0xC0) != 0x80) {
                    throw new IllegalArgumentException(notUtf8(i));
                }
                cp = cp << 6 | b & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF) {
                throw new IllegalArgumentException(notUtf8(i));
            }
            text.appendCodePoint(cp);
            i += need + 1;
        }
        return text.toString();
    }

    private static String notUtf8(int offset) {
        return "not UTF-8 at byte " + offset;
    }
}
