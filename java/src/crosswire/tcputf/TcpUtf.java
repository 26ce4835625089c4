package crosswire.tcputf;

import java.net.Socket;

/** What the tcp-utf server and client share: the lecture's port and how a peer is named. */
final class TcpUtf {
    /** The example's name in readiness lines. */
    static final String EXAMPLE = "tcp-utf";

    /** The lecture's port. */
    static final int DEFAULT_PORT = 7896;

    private TcpUtf() {
    }

    /** A connection's far end as the bench writes it: {@code host:port}. */
    static String peer(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** Seconds as a socket timeout: at least 1 ms, since 0 would mean "wait forever". */
    static int millis(double seconds) {
        return (int) Math.max(1, Math.ceil(seconds * 1000));
    }

    /** Seconds for a message: "1.0 s", "0.25 s". */
    static String seconds(double seconds) {
        return seconds + " s";
    }
}
