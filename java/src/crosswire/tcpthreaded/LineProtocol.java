package crosswire.tcpthreaded;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The tcp-threaded protocol, without any I/O: a message is a line of UTF-8 ended by
 * {@code \n}, and the reply to it is the line {@code Server message: <line>}. The twin of
 * {@code python/crosswire/protocol/lines.py} and {@code threaded.py}.
 */
public final class LineProtocol {
    /** The example's name in readiness lines. */
    static final String EXAMPLE = "tcp-threaded";
    /** The lecture's port. */
    static final int DEFAULT_PORT = 2004;

    public static final byte NEWLINE = '\n';
    /** The longest line a server takes, without its newline: 64 KiB. */
    public static final int MAX_LINE = 65_536;
    /** What the server puts before each line it answers. */
    static final byte[] REPLY_PREFIX =
            "Server message: ".getBytes(StandardCharsets.US_ASCII);
    /** The longest reply line, without its newline: the prefix and the longest line. */
    public static final int MAX_REPLY = REPLY_PREFIX.length + MAX_LINE;
    /** What a connection over the server's cap is told before it is closed. */
    static final byte[] BUSY = "Server busy\n".getBytes(StandardCharsets.US_ASCII);

    private LineProtocol() {
    }

    /**
     * {@code message} followed by its newline.
     *
     * @throws BadMessageException if it could not arrive as one line of UTF-8
     */
    public static byte[] encodeLine(byte[] message) throws BadMessageException {
        return encodeLine(message, true);
    }

    /**
     * {@code message} followed by its newline; bytes that are not UTF-8 are refused only if
     * {@code requireUtf8} (the calculator sends them as they are: answering them is its
     * server's job).
     *
     * @throws BadMessageException if it could not arrive as one line
     */
    public static byte[] encodeLine(byte[] message, boolean requireUtf8)
            throws BadMessageException {
        for (int i = 0; i < message.length; i++) {
            if (message[i] == NEWLINE) {
                throw new BadMessageException("a line cannot contain a newline (byte " + i
                        + " is 0a); nothing was sent");
            }
        }
        String why = requireUtf8 ? malformedUtf8(message) : null;
        if (why != null) {
            throw new BadMessageException("a line must be UTF-8 (" + why + "); nothing was sent");
        }
        return withNewline(message);
    }

    /** The reply line to {@code line}, without its newline. */
    public static byte[] replyTo(byte[] line) {
        byte[] reply = Arrays.copyOf(REPLY_PREFIX, REPLY_PREFIX.length + line.length);
        System.arraycopy(line, 0, reply, REPLY_PREFIX.length, line.length);
        return reply;
    }

    /** {@code line} and a newline after it. */
    public static byte[] withNewline(byte[] line) {
        byte[] bytes = Arrays.copyOf(line, line.length + 1);
        bytes[line.length] = NEWLINE;
        return bytes;
    }

    /**
     * Why {@code bytes} are not UTF-8 (the first offending bytes and where they are), or null
     * if they are. Strict, as Python's {@code bytes.decode("utf-8")}: no overlong forms, no
     * encoded surrogates, nothing above U+10FFFF. ({@code new String(bytes, UTF_8)} would
     * replace bad bytes with U+FFFD and say nothing.)
     */
    public static String malformedUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (!result.isError()) {
            return null;
        }
        int at = in.position();
        int end = Math.min(bytes.length, at + result.length());
        return String.format("%s %s at byte offset %d", result.isMalformed()
                ? "malformed" : "unmappable", HexFormat.ofDelimiter(" ").formatHex(bytes, at, end),
                at);
    }
}
