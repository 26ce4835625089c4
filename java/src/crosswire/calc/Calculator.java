package crosswire.calc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The calculator protocol's entry points (docs/protocols/calc.md), without I/O. A TCP server
 * hands each line to {@link #handleLine} (or its bytes to {@link #handleLineBytes}) and writes the
 * reply plus a newline; a UDP server hands each datagram to {@link #handleDatagram} and sends back
 * what it returns. The client side is {@link #datagramRequest}, {@link CalcReply#parse} and
 * {@link #parseDatagramReply}. Twin of python/crosswire/protocol/calc.py.
 */
public final class Calculator {
    public static final int MAX_REQUEST_BYTES = 1024;
    /** The ID of the reply to a datagram whose ID cannot be read. */
    public static final String NO_ID = "-";

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,15}");

    private Calculator() {
    }

    /** A client chose a request ID the protocol does not allow. */
    public static final class BadRequestId extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BadRequestId(String message) {
            super(message);
        }
    }

    /** A reply datagram: the request ID it answers ("-" if the server could not read ours). */
    public record DatagramReply(String requestId, CalcReply reply) {
    }

    /** The reply to one request (no terminator, length already checked). */
    public static CalcReply replyTo(String request) {
        try {
            CalcRequest parsed = CalcRequest.parse(request);
            return CalcReply.ok(Arithmetic.evaluate(parsed.operator(), parsed.a(), parsed.b()));
        } catch (CalcError error) {
            return CalcReply.error(error);
        }
    }

    /** {@code text} without one trailing "\n", then without one trailing "\r". */
    public static String stripTerminator(String text) {
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** How many bytes {@code text} takes in UTF-8 (a lone surrogate counts 3, as in Python). */
    public static long utf8Length(String text) {
        return text.codePoints().mapToLong(point -> point < 0x80 ? 1 : point < 0x800 ? 2 : point < 0x10000 ? 3 : 4)
                .sum();
    }

    static CalcError tooLong() {
        return new CalcError(ErrorCode.TOO_LONG, "request is longer than " + MAX_REQUEST_BYTES + " bytes");
    }

    static CalcError notUtf8() {
        return new CalcError(ErrorCode.BAD_UTF8, "request is not valid UTF-8");
    }

    /** The reply (without newline) to one TCP request line (with or without its terminator). */
    public static String handleLine(String line) {
        String request = stripTerminator(line);
        if (utf8Length(request) > MAX_REQUEST_BYTES) {
            return CalcReply.error(tooLong()).text();
        }
        return replyTo(request).text();
    }

    private static byte[] stripTerminator(byte[] data) {
        int end = data.length;
        if (end > 0 && data[end - 1] == '\n') {
            end--;
        }
        if (end > 0 && data[end - 1] == '\r') {
            end--;
        }
        return Arrays.copyOf(data, end);
    }

    /** Strict UTF-8 (no replacement characters), or {@code null} if {@code data} is not UTF-8. */
    private static String decodeUtf8(byte[] data, int from) {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(data, from, data.length - from));
            return text.toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /** {@link #handleLine} for a line as received: invalid UTF-8 gets {@code ERR BAD_UTF8}. */
    public static byte[] handleLineBytes(byte[] line) {
        byte[] request = stripTerminator(line);
        if (request.length > MAX_REQUEST_BYTES) {
            return CalcReply.error(tooLong()).text().getBytes(StandardCharsets.US_ASCII);
        }
        String text = decodeUtf8(request, 0);
        if (text == null) {
            return CalcReply.error(notUtf8()).text().getBytes(StandardCharsets.US_ASCII);
        }
        return replyTo(text).text().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isBlank(byte octet) {
        return octet == ' ' || octet == '\t';
    }

    private static boolean isIdCharacter(byte octet, boolean first) {
        return (octet >= 'A' && octet <= 'Z') || (octet >= 'a' && octet <= 'z')
                || (octet >= '0' && octet <= '9') || (!first && octet == '-');
    }

    /** The reply datagram to one request datagram {@code ID OP A B}; it starts with the same ID. */
    public static byte[] handleDatagram(byte[] datagram) {
        byte[] message = stripTerminator(datagram);
        int start = 0;
        while (start < message.length && isBlank(message[start])) {
            start++;
        }
        int end = start;
        boolean validId = true;
        while (end < message.length && !isBlank(message[end])) {
            validId &= isIdCharacter(message[end], end == start);
            end++;
        }
        if (!validId || end == start || end - start > 16) {
            CalcError error = new CalcError(ErrorCode.SYNTAX, "expected ID OP A B, where ID is 1 to 16"
                    + " letters, digits or '-', starting with a letter or digit");
            return datagramReply(NO_ID, CalcReply.error(error));
        }
        String requestId = new String(message, start, end - start, StandardCharsets.US_ASCII);
        if (message.length > MAX_REQUEST_BYTES) {
            return datagramReply(requestId, CalcReply.error(tooLong()));
        }
        String text = decodeUtf8(message, end);
        if (text == null) {
            return datagramReply(requestId, CalcReply.error(notUtf8()));
        }
        return datagramReply(requestId, replyTo(text));
    }

    private static byte[] datagramReply(String requestId, CalcReply reply) {
        return (requestId + " " + reply.text()).getBytes(StandardCharsets.UTF_8);
    }

    /** The datagram a client sends for {@code request} under {@code requestId}. */
    public static byte[] datagramRequest(String requestId, String request) {
        return datagramRequest(requestId, request.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The datagram a client sends for the raw bytes {@code request} under {@code requestId}; they
     * go as they are, UTF-8 or not (answering bad bytes is the server's job).
     */
    public static byte[] datagramRequest(String requestId, byte[] request) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            String shown = requestId.length() > 40 ? requestId.substring(0, 40) : requestId;
            throw new BadRequestId("request ID '" + shown + "' is not 1 to 16 letters, digits or '-'"
                    + " starting with a letter or digit");
        }
        byte[] id = requestId.getBytes(StandardCharsets.US_ASCII);
        byte[] datagram = Arrays.copyOf(id, id.length + 1 + request.length);
        datagram[id.length] = ' ';
        System.arraycopy(request, 0, datagram, id.length + 1, request.length);
        return datagram;
    }

    /** The request ID and reply of a reply datagram. */
    public static DatagramReply parseDatagramReply(byte[] datagram) throws CalcReply.BadReply {
        String text = decodeUtf8(datagram, 0);
        if (text == null) {
            throw new CalcReply.BadReply("reply datagram is not UTF-8");
        }
        String[] idAndReply = CalcReply.partition(text);
        if (!idAndReply[0].equals(NO_ID) && !REQUEST_ID.matcher(idAndReply[0]).matches()) {
            String shown = text.length() > 80 ? text.substring(0, 80) : text;
            throw new CalcReply.BadReply("reply datagram does not start with a request ID: '" + shown + "'");
        }
        return new DatagramReply(idAndReply[0], CalcReply.parse(idAndReply[1]));
    }
}
