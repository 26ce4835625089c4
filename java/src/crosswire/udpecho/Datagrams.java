package crosswire.udpecho;

import java.net.DatagramPacket;

/** The sizes and naming of udp-echo datagrams shared by the server and the client. */
final class Datagrams {
    /** The lecture's port. */
    static final int DEFAULT_PORT = 6789;

    /** The largest UDP datagram, so a receive buffer this big never truncates (the lecture's 1000 did). */
    static final int BUFFER_SIZE = 65_535;

    /** The largest payload over IPv4: 65,535 less 20 bytes of IP header and 8 of UDP header. */
    static final int MAX_PAYLOAD = 65_507;

    private Datagrams() {
    }

    /** A packet's source or destination as the bench writes it: {@code host:port}. */
    static String peer(DatagramPacket packet) {
        return packet.getAddress().getHostAddress() + ":" + packet.getPort();
    }
}
