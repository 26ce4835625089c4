package crosswire.board;

import java.util.regex.Pattern;

/**
 * The numbers of the message board protocol, version 1 (docs/protocols/board.md): version,
 * message kinds, error codes, limits, and the checks on topics, tokens and texts. No I/O. The
 * twin of the constants in {@code python/crosswire/protocol/board.py}.
 */
public final class BoardProtocol {
    public static final int VERSION = 1;

    /** The largest TCP body; a length outside 1..MAX_BODY is a framing error. */
    public static final int MAX_BODY = 1_048_576;
    /** The largest text, in bytes of modified UTF-8, so a MSG always fits one datagram. */
    public static final int MAX_TEXT_BYTES = 8_000;
    public static final int MAX_TOPIC_CHARS = 64;
    public static final int TOKEN_CHARS = 32;
    /** The most messages one MESSAGES reply carries. */
    public static final int MAX_FETCH = 1_000;
    /** The most bytes writeUTF can frame (its length is a u16). */
    public static final int MAX_UTF_BYTES = 0xFFFF;

    // Requests (client to server).
    public static final int CREATE = 1;
    public static final int LIST = 2;
    public static final int POST = 3;
    public static final int LOOKUP = 4;
    public static final int FETCH = 5;
    // Replies (server to client).
    public static final int CREATED = 65;
    public static final int BOARDS = 66;
    public static final int POSTED = 67;
    public static final int BOARD = 68;
    public static final int MESSAGES = 69;
    public static final int ERROR = 127;
    // Datagrams (server to group).
    public static final int MSG = 16;
    public static final int HEARTBEAT = 17;

    // Error codes.
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String BAD_TOPIC = "BAD_TOPIC";
    public static final String TOPIC_EXISTS = "TOPIC_EXISTS";
    public static final String NO_SUCH_BOARD = "NO_SUCH_BOARD";
    public static final String BAD_TOKEN = "BAD_TOKEN";
    public static final String TOO_LONG = "TOO_LONG";
    public static final String BAD_RANGE = "BAD_RANGE";

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_TOPIC_CHARS
            + "}");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{" + TOKEN_CHARS + "}");

    private BoardProtocol() {
    }

    /** Why {@code topic} is not a topic, or null if it is one. */
    public static String topicProblem(String topic) {
        if (TOPIC.matcher(topic).matches()) {
            return null;
        }
        return "a topic is 1 to " + MAX_TOPIC_CHARS + " characters from [A-Za-z0-9._-], not "
                + quote(topic);
    }

    /** Whether {@code token} has a token's form: 32 lowercase hex digits. */
    public static boolean isTokenShaped(String token) {
        return TOKEN.matcher(token).matches();
    }

    /** Why {@code text} may not be posted, or null if it may. */
    public static String textProblem(String text) {
        int length = modifiedUtf8Length(text);
        if (length <= MAX_TEXT_BYTES) {
            return null;
        }
        return "text is " + length + " bytes of modified UTF-8; at most " + MAX_TEXT_BYTES
                + " are allowed";
    }

    /**
     * How many bytes writeUTF writes for {@code text}, not counting its length: NUL and
     * U+0080..U+07FF take 2, other units above U+07FF (each surrogate too) take 3.
     */
    public static int modifiedUtf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                length += 1;
            } else if (c <= 0x07FF) {
                length += 2;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** A string for an error message: quoted, at most 80 characters, control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\x%02x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        if (text.length() > 80) {
            quoted.append("...");
        }
        return quoted.append('\'').toString();
    }
}
