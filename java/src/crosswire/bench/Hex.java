package crosswire.bench;

import java.util.HexFormat;

/** Lowercase hexadecimal, the bench's encoding of message bytes. */
public final class Hex {
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    public static String encode(byte[] bytes) {
        return LOWER.formatHex(bytes);
    }

    public static String encode(byte[] bytes, int offset, int length) {
        return LOWER.formatHex(bytes, offset, offset + length);
    }

    /**
     * Decodes upper- or lowercase hexadecimal; {@code ""} is the empty message.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static byte[] decode(CharSequence text) {
        if (text.length() % 2 != 0) {
            throw new IllegalArgumentException(
                    "odd number of hex digits (" + text.length() + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!HexFormat.isHexDigit(c)) {
                throw new IllegalArgumentException(String.format(
                        "character %d is U+%04X, not a hex digit", i + 1, (int) c));
            }
        }
        return LOWER.parseHex(text);
    }
}
