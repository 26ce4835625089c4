package crosswire.tcpthreaded;

/**
 * A message cannot be sent as one line: it contains a newline or is not UTF-8 (Python's
 * {@code BadMessage}, a {@code LocalProtocolError}). Nothing was sent.
 */
public final class BadMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadMessageException(String message) {
        super(message);
    }
}
