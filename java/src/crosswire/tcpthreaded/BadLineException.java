package crosswire.tcpthreaded;

import java.io.IOException;

/**
 * The peer sent something that is not a line: more than {@link LineProtocol#MAX_LINE} bytes
 * without a newline, or bytes that are not UTF-8 (Python's {@code RemoteProtocolError}).
 */
public final class BadLineException extends IOException {
    private static final long serialVersionUID = 1L;

    public BadLineException(String message) {
        super(message);
    }
}
