package crosswire.tcputf;

import java.io.EOFException;

/** The stream ended inside a writeUTF frame, where {@code readUTF} throws a bare EOFException. */
public final class TruncatedFrameException extends EOFException {
    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(String message) {
        super(message);
    }
}
