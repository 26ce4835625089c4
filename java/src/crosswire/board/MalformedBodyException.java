package crosswire.board;

/**
 * A body (or datagram) that is not a message of this protocol: an unknown version or kind,
 * fields cut short, malformed modified UTF-8, or bytes left over. The framing is intact, so a
 * server answers {@code ERROR BAD_REQUEST} and goes on with the next frame.
 */
public class MalformedBodyException extends BoardProtocolException {
    private static final long serialVersionUID = 1L;

    private final int requestId;

    MalformedBodyException(String message, int requestId) {
        super(message);
        this.requestId = requestId;
    }

    /** The body's request_id, or 0 if the body is too short to have one. */
    public int requestId() {
        return requestId;
    }
}
