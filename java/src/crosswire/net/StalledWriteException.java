package crosswire.net;

import java.net.SocketTimeoutException;

/**
 * A write did not finish by its deadline because the peer stopped taking data in (its receive
 * window stayed full), so the socket was closed to end the write.
 */
public final class StalledWriteException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    public StalledWriteException(String message) {
        super(message);
    }
}
