package crosswire.tcputf;

/** What the tcp-utf server and client share: the example's name and the lecture's port. */
final class TcpUtf {
    /** The example's name in readiness lines. */
    static final String EXAMPLE = "tcp-utf";

    /** The lecture's port. */
    static final int DEFAULT_PORT = 7896;

    private TcpUtf() {
    }
}
