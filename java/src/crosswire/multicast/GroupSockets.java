package crosswire.multicast;

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
 * Multicast sockets, set up explicitly: which interface, which TTL, which group. The twin of
 * {@code crosswire.multicast.sockets}.
 *
 * <p>An interface is named by one of its IPv4 addresses ({@code --iface}); 0.0.0.0 becomes a
 * {@code null} {@link NetworkInterface}, which {@code joinGroup}/{@code leaveGroup} take as
 * "the outgoing interface if one is set, else let the OS choose" (on Linux: interface index 0,
 * so the kernel picks by the route to the group, as INADDR_ANY does in Python's request).
 */
public final class GroupSockets {
    /** The largest UDP datagram, so nothing is truncated (the lecture's 1000 bytes could be). */
    static final int RECEIVE_BUFFER = 65_535;

    private GroupSockets() {
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
     * A socket bound to {@code bindAddress} and the group's port, joined to the group on
     * {@code iface}.
     *
     * @param bindAddress the group (only its datagrams arrive) or null for the wildcard; see
     *     {@link MulticastReceiver} and {@link MulticastPeer} for which and why
     */
    public static MulticastSocket groupSocket(InetAddress bindAddress, Inet4Address group, int port,
            Inet4Address iface) throws IOException {
        NetworkInterface joinOn = networkInterface(iface);
        MulticastSocket socket = new MulticastSocket(null);
        try {
            // Several receivers (and peers) on one host share the group's port. MulticastSocket
            // sets SO_REUSEADDR itself; said again here because the sharing depends on it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bindAddress, port));
            socket.joinGroup(new InetSocketAddress(group, 0), joinOn);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** TTL, outgoing interface and loopback for multicast datagrams sent on {@code socket}. */
    static void configureSending(MulticastSocket socket, int ttl, Inet4Address iface)
            throws IOException {
        socket.setTimeToLive(ttl);
        NetworkInterface sendOn = networkInterface(iface);
        if (sendOn != null) {
            socket.setNetworkInterface(sendOn);
        }
        // Loopback is on by default; said here because peers on one host rely on it.
        socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
    }

    /**
     * A socket to send multicast from, bound to an ephemeral port on the wildcard address (where
     * unicast answers come back to), with {@code ttl} and the outgoing interface set.
     */
    public static MulticastSocket sender(int ttl, Inet4Address iface) throws IOException {
        MulticastSocket socket = new MulticastSocket();
        try {
            configureSending(socket, ttl, iface);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    static void leave(MulticastSocket socket, Inet4Address group, Inet4Address iface)
            throws IOException {
        socket.leaveGroup(new InetSocketAddress(group, 0), networkInterface(iface));
    }

    /**
     * The outgoing interface set on {@code socket}, as the IPv4 address Java gave to
     * IP_MULTICAST_IF (the interface's first one); 0.0.0.0 if none is set and the OS chooses.
     */
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
        return Multicast.ANY_INTERFACE;
    }

    /**
     * A socket's local address as {@code host:port}; a wildcard as 0.0.0.0, since a dual-stack
     * socket bound to 0.0.0.0 reports {@code ::}.
     */
    static String localAddress(DatagramSocket socket) {
        InetAddress local = socket.getLocalAddress();
        String host = local.isAnyLocalAddress() ? Multicast.ANY_INTERFACE : local.getHostAddress();
        return host + ":" + socket.getLocalPort();
    }

    /** A datagram's source as the bench writes it: {@code host:port}. */
    public static String peer(DatagramPacket packet) {
        return packet.getAddress().getHostAddress() + ":" + packet.getPort();
    }

    /**
     * The next datagram, or null once {@code deadlineNanos} (a {@link System#nanoTime} value)
     * has passed.
     */
    static DatagramPacket receiveBefore(DatagramSocket socket, long deadlineNanos)
            throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            return null;
        }
        // Rounded up to at least 1 ms: a timeout of 0 would mean "wait forever".
        return receiveTimed(socket, (int) Math.max(1, (remaining + 999_999) / 1_000_000));
    }

    /** The next datagram, waiting at most {@code waitNanos} (at least 1 ms); null if none came. */
    public static DatagramPacket receiveWithin(DatagramSocket socket, long waitNanos)
            throws IOException {
        // At least 1 ms: a timeout of 0 would mean "wait forever".
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, waitNanos / 1_000_000 + 1));
        return receiveTimed(socket, (int) millis);
    }

    private static DatagramPacket receiveTimed(DatagramSocket socket, int timeoutMillis)
            throws IOException {
        socket.setSoTimeout(timeoutMillis);
        DatagramPacket datagram = new DatagramPacket(new byte[RECEIVE_BUFFER], RECEIVE_BUFFER);
        try {
            socket.receive(datagram);
            return datagram;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
