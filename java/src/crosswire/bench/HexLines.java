package crosswire.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A client's bench input: one message per line in hexadecimal, an empty line being the empty
 * message: bytes for most examples ({@link #next}), a string's UTF-16 code units for tcp-utf
 * ({@link #nextUtf16}). Lines are read one at a time, so a harness may feed messages as it goes.
 */
public final class HexLines {
    private final BufferedReader reader;
    private int lineNumber;

    public HexLines(InputStream in) {
        // Any non-ASCII byte decodes to U+FFFD and is then refused as not a hex digit.
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
    }

    /**
     * The next message, or {@code null} at end of input.
     *
     * @throws UsageException if the line is not hexadecimal, naming its line number
     */
    public byte[] next() throws IOException, UsageException {
        String line = reader.readLine();
        if (line == null) {
            return null;
        }
        lineNumber++;
        try {
            return Hex.decode(line);
        } catch (IllegalArgumentException e) {
            throw new UsageException("stdin line " + lineNumber + " is not a hex message: "
                    + e.getMessage());
        }
    }

    /**
     * The next message as a string of UTF-16 code units (big-endian on the line), or
     * {@code null} at end of input.
     *
     * @throws UsageException if the line is not whole code units in hexadecimal, naming its
     *     line number
     */
    public String nextUtf16() throws IOException, UsageException {
        String line = reader.readLine();
        if (line == null) {
            return null;
        }
        lineNumber++;
        try {
            return Hex.decodeUtf16(line);
        } catch (IllegalArgumentException e) {
            throw new UsageException("stdin line " + lineNumber
                    + " is not a hex string of UTF-16 code units: " + e.getMessage());
        }
    }

    /** How many lines {@link #next} has read. */
    public int lineNumber() {
        return lineNumber;
    }
}
