package crosswire.tcputf;

/**
 * Java's modified UTF-8, the encoding inside {@code writeUTF} (the "Modified UTF-8" section of
 * the {@link java.io.DataInput} javadoc): each UTF-16 code unit on its own, U+0000 as
 * {@code C0 80}, so a character above U+FFFF is its surrogate pair, two 3-byte sequences, and
 * never a 4-byte sequence. The JDK encodes and decodes; this class only measures and explains.
 * The twin of {@code python/crosswire/protocol/mutf8.py}.
 */
public final class ModifiedUtf8 {
    /** The largest encoded string the 2-byte length prefix of {@code writeUTF} can announce. */
    public static final int MAX_ENCODED_LENGTH = 0xFFFF;

    private ModifiedUtf8() {
    }

    /** How many bytes {@code writeUTF} would write after its length prefix for {@code text}. */
    public static long encodedLength(CharSequence text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char unit = text.charAt(i);
            if (unit >= 0x0001 && unit <= 0x007F) {
                length += 1;
            } else if (unit <= 0x07FF) {
                length += 2;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Why {@code readUTF} refuses {@code encoded} (a frame's payload), found the way it decodes:
     * by the high bits of each byte, so overlong forms and a plain {@code 00} pass. Returns
     * {@code null} if nothing is wrong.
     */
    public static String describeMalformed(byte[] encoded) {
        int offset = 0;
        while (offset < encoded.length) {
            int lead = encoded[offset] & 0xFF;
            int length;
            if (lead < 0x80) {
                length = 1;
            } else if ((lead & 0xE0) == 0xC0) {
                length = 2;
            } else if ((lead & 0xF0) == 0xE0) {
                length = 3;
            } else {
                return badLeadByte(lead, offset);
            }
            // Like readUTF, a cut-off sequence is reported as cut off before its bytes are checked.
            if (offset + length > encoded.length) {
                return String.format("truncated sequence at offset %d: lead byte 0x%02X starts a"
                        + " %d-byte sequence, but only %d of its %d continuation byte(s) remain"
                        + " before the end of the encoded string", offset, lead, length,
                        encoded.length - offset - 1, length - 1);
            }
            for (int next = offset + 1; next < offset + length; next++) {
                int continuation = encoded[next] & 0xFF;
                if ((continuation & 0xC0) != 0x80) {
                    return String.format("bad continuation byte 0x%02X at offset %d: the %d-byte"
                            + " sequence starting at offset %d (lead byte 0x%02X) needs bytes of"
                            + " the form 10xxxxxx", continuation, next, length, offset, lead);
                }
            }
            offset += length;
        }
        return null;
    }

    private static String badLeadByte(int lead, int offset) {
        String why;
        if ((lead & 0xC0) == 0x80) {
            why = "is a continuation byte (10xxxxxx) where a character should start";
        } else if ((lead & 0xF8) == 0xF0) {
            why = "starts a 4-byte UTF-8 sequence, which modified UTF-8 never uses: Java writes a"
                    + " character above U+FFFF as its surrogate pair, two 3-byte sequences"
                    + " (U+1F600 is ED A0 BD ED B8 80, not F0 9F 98 80)";
        } else {
            why = "is of the form 11111xxx, which starts no sequence of any length";
        }
        return String.format("bad lead byte 0x%02X at offset %d: it %s", lead, offset, why);
    }
}
