package crosswire.board;

/** A body or datagram whose version byte is not {@link BoardProtocol#VERSION}. */
public final class UnsupportedVersionException extends MalformedBodyException {
    private static final long serialVersionUID = 1L;

    private final int version;

    UnsupportedVersionException(int version, int requestId) {
        super("unsupported protocol version " + version, requestId);
        this.version = version;
    }

    public int version() {
        return version;
    }
}
