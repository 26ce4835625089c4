package crosswire.bench;

import java.util.HexFormat;

/**
 * Lowercase hexadecimal, the bench's encoding of message bytes; for tcp-utf, of a string's UTF-16
 * code units, big-endian, 4 digits per unit.
 */
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

    /** {@code text}'s UTF-16 code units, big-endian; lone surrogates are written like any unit. */
    public static String encodeUtf16(CharSequence text) {
        // Not getBytes(UTF_16BE): a charset encoder replaces a lone surrogate with '?'.
        StringBuilder hex = new StringBuilder(text.length() * 4);
        for (int i = 0; i < text.length(); i++) {
            hex.append(LOWER.toHexDigits(text.charAt(i)));
        }
        return hex.toString();
    }

    /**
     * The string whose UTF-16 code units, big-endian, {@code text} spells; built unit by unit,
     * so lone surrogates survive exactly.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     */
    public static String decodeUtf16(CharSequence text) {
        byte[] bytes = decode(text);
        if (bytes.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of bytes (" + bytes.length
                    + "); a UTF-16 code unit takes 2 bytes (4 hex digits)");
        }
        char[] units = new char[bytes.length / 2];
        for (int i = 0; i < units.length; i++) {
            units[i] = (char) (((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff));
        }
        return new String(units);
    }
}
