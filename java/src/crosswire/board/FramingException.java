package crosswire.board;

/**
 * The TCP stream broke the framing: a length outside 1..1,048,576, or the stream ended inside
 * a frame. What follows cannot be trusted to start a frame, so the connection is closed.
 */
public final class FramingException extends BoardProtocolException {
    private static final long serialVersionUID = 1L;

    private final boolean truncated;

    private FramingException(String message, boolean truncated) {
        super(message);
        this.truncated = truncated;
    }

    static FramingException badLength(int length) {
        return new FramingException("framing error: length " + length + " is outside 1.."
                + BoardProtocol.MAX_BODY, false);
    }

    static FramingException truncated(int have, Integer announced) {
        if (announced == null) {
            return new FramingException("framing error: the stream ended after " + have
                    + " of the 4 length bytes", true);
        }
        return new FramingException("framing error: the stream ended after " + have + " of "
                + announced + " body bytes", true);
    }

    /** True if the stream ended inside a frame (so there is no one left to answer). */
    public boolean truncated() {
        return truncated;
    }
}
