package crosswire.board;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.Enumeration;

/**
 * The board's multicast sockets, set up explicitly, as {@code crosswire.multicast.GroupSockets}
 * does (which is package-private there): an interface is named by one of its IPv4 addresses,
 * and 0.0.0.0 becomes a null {@link NetworkInterface}, which {@code joinGroup} takes as "let
 * the OS choose".
 */
final class BoardSockets {
    /** {@code --iface} default: the OS picks the interface. */
    static final String ANY_INTERFACE = "0.0.0.0";
    /** The largest UDP datagram, so nothing is truncated. */
    static final int RECEIVE_BUFFER = 65_535;

    private BoardSockets() {
    }

    /** The interface that has {@code address}; null for 0.0.0.0, meaning the OS chooses. */
    static NetworkInterface networkInterface(Inet4Address address) throws SocketException {
        if (address.isAnyLocalAddress()) {
            return null;
        }
        NetworkInterface found = NetworkInterface.getByInetAddress(address);
        if (found == null) {
            // Not null to the caller: that would silently mean "any interface".
            throw new SocketException("no network interface has the address "
                    + address.getHostAddress());
        }
        return found;
    }

    /**
     * A socket bound to the group and its port (so only that group's datagrams arrive, and
     * several subscribers on one host share the port), joined to the group on {@code iface}.
     * Nothing is sent from it.
     */
    static MulticastSocket joined(Inet4Address group, int port, Inet4Address iface)
            throws IOException {
        NetworkInterface joinOn = networkInterface(iface);
        MulticastSocket socket = new MulticastSocket(null);
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(group, port));
            socket.joinGroup(new InetSocketAddress(group, 0), joinOn);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** A socket to send multicast from, with {@code ttl} and the outgoing interface set. */
    static MulticastSocket sender(int ttl, Inet4Address iface) throws IOException {
        MulticastSocket socket = new MulticastSocket();
        try {
            socket.setTimeToLive(ttl);
            NetworkInterface sendOn = networkInterface(iface);
            if (sendOn != null) {
                socket.setNetworkInterface(sendOn);
            }
            // On by default; said here because subscribers on the server's host rely on it.
            socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** The outgoing interface set on {@code socket}, as an IPv4 address; 0.0.0.0 if none. */
    static String multicastInterface(MulticastSocket socket) throws IOException {
        NetworkInterface set = socket.getOption(StandardSocketOptions.IP_MULTICAST_IF);
        if (set != null) {
            for (Enumeration<InetAddress> addresses = set.getInetAddresses();
                    addresses.hasMoreElements();) {
                InetAddress address = addresses.nextElement();
                if (address instanceof Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        return ANY_INTERFACE;
    }

    /** A datagram's source as the bench writes it: {@code host:port}. */
    static String peer(DatagramPacket packet) {
        return packet.getAddress().getHostAddress() + ":" + packet.getPort();
    }

    /** The next datagram, waiting at most {@code waitNanos}; null if none came. */
    static DatagramPacket receiveWithin(DatagramSocket socket, long waitNanos)
            throws IOException {
        // At least 1 ms: a timeout of 0 would mean "wait forever".
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, waitNanos / 1_000_000 + 1));
        socket.setSoTimeout((int) millis);
        DatagramPacket datagram = new DatagramPacket(new byte[RECEIVE_BUFFER], RECEIVE_BUFFER);
        try {
            socket.receive(datagram);
            return datagram;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
