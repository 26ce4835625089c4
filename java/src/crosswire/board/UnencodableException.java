package crosswire.board;

/**
 * The caller asked to encode what the protocol cannot carry: a string over writeUTF's 65,535
 * bytes, or a body over 1,048,576. Nothing was sent. (Texts over 8,000 bytes and bad topics
 * can be encoded: judging them is the server's job.)
 */
public final class UnencodableException extends BoardProtocolException {
    private static final long serialVersionUID = 1L;

    UnencodableException(String message) {
        super(message);
    }
}
