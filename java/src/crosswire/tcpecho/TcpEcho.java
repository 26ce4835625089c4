package crosswire.tcpecho;

/** What the tcp-echo server and client share: the example's name and the lecture's port. */
final class TcpEcho {
    /** The example's name in readiness lines. */
    static final String EXAMPLE = "tcp-echo";

    /** The lecture's port. */
    static final int DEFAULT_PORT = 65432;

    /** Bytes per read; the lecture's 1,024 would do as well, only in more reads. */
    static final int RECV_SIZE = 65_536;

    private TcpEcho() {
    }
}
