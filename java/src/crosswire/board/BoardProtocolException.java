package crosswire.board;

/**
 * Anything the board codec objects to, so a program can catch it in one place. Its branches
 * say whose fault it was: {@link FramingException} and {@link MalformedBodyException} (the peer
 * sent bytes that break the protocol), {@link UnencodableException} (the caller asked for
 * something the protocol cannot carry).
 */
public abstract class BoardProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    protected BoardProtocolException(String message) {
        super(message);
    }
}
