package crosswire.multicast;

import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.UsageException;
import crosswire.multicast.MulticastOptions.Option;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;

/**
 * The lecture's MulticastPeer: joins a group, sends one message, prints the next three it
 * receives, leaves. Multicast loopback is on, so a peer receives its own message too, and peers
 * started together each see every peer's message. The Python twin is
 * {@code crosswire.multicast.peer}.
 *
 * <p>Fixed from the lecture: it joins with {@code joinGroup(SocketAddress, NetworkInterface)} on
 * the interface of {@code --iface} (the one-argument form is deprecated and leaves the interface
 * to chance); the message is UTF-8, not the platform charset; a received message is decoded from
 * exactly {@code getLength()} bytes of a buffer that holds any datagram, not the whole
 * 1,000-byte buffer; the receive loop has a deadline; missing arguments have defaults instead of
 * an ArrayIndexOutOfBoundsException.
 *
 * <p>Unlike the Python twin it binds the wildcard address with the group's port, as the
 * lecture's {@code new MulticastSocket(6789)} does, not the group address: a Java socket is
 * dual-stack (IPv6, the group v4-mapped), and Linux keeps a v4-mapped group it is bound to as
 * its source address, so the peer's own send would fail with EINVAL. The price: datagrams sent
 * to this port for another group that some socket on this host joined arrive too.
 */
public final class MulticastPeer {
    static final String EXAMPLE = "multicast-peer";
    static final String DEFAULT_GROUP = "228.5.6.7";
    static final int DEFAULT_PORT = 6789;
    static final String DEFAULT_MESSAGE = "大家好";
    static final int DEFAULT_COUNT = 3;
    static final double DEFAULT_TIMEOUT_SECONDS = 5.0;
    static final String USAGE = "usage: MulticastPeer [--group ADDR] [--port PORT] [--iface ADDR]"
            + " [--ttl N] [--count N] [--timeout SECONDS] [--wait-start] [message]\n"
            + "       MulticastPeer --json --message-hex HEX [options]";

    private MulticastPeer() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("MulticastPeer: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static int run(String[] args) throws UsageException {
        MulticastOptions options = MulticastOptions.parse(args, EnumSet.of(Option.GROUP,
                Option.PORT, Option.IFACE, Option.TTL, Option.COUNT, Option.TIMEOUT,
                Option.MESSAGE_HEX, Option.WAIT_START, Option.JSON));
        if (options.helpRequested()) {
            System.out.println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument " + positional.get(1));
        }
        if (!positional.isEmpty() && options.messageHex() != null) {
            throw new UsageException("give the message as an argument or with --message-hex,"
                    + " not both");
        }
        byte[] message = options.messageHex() != null ? options.messageHex()
                : (positional.isEmpty() ? DEFAULT_MESSAGE : positional.get(0))
                        .getBytes(StandardCharsets.UTF_8);
        Inet4Address group = options.group(DEFAULT_GROUP);
        int port = options.port(DEFAULT_PORT);
        Inet4Address iface = options.iface();
        Output output = new Output(options.json());
        MulticastSocket joined;
        try {
            joined = GroupSockets.groupSocket(null, group, port, iface);
        } catch (IOException e) {
            System.err.println("MulticastPeer: cannot join " + group.getHostAddress() + ":" + port
                    + ": " + e.getMessage());
            return 1;
        }
        try (MulticastSocket socket = joined) {
            GroupSockets.configureSending(socket, options.ttl(1), iface);
            output.event(JsonLine.event("interface")
                    .put("iface", GroupSockets.multicastInterface(socket))
                    .put("ttl", options.ttl(1)));
            output.line("READY " + EXAMPLE + " " + group.getHostAddress() + ":" + port
                    + " iface=" + iface.getHostAddress());
            if (options.waitStart()) {
                skipLine(System.in);
            }
            socket.send(new DatagramPacket(message, message.length, group, port));
            output.event(JsonLine.event("sent").put("len", message.length));
            int count = options.count(DEFAULT_COUNT);
            double timeoutSeconds = options.timeoutSeconds(DEFAULT_TIMEOUT_SECONDS);
            int received = receive(socket, count, timeoutSeconds, output);
            GroupSockets.leave(socket, group, iface);
            if (received < count) {
                output.event(JsonLine.event("timeout").put("received", received)
                        .put("expected", count));
                output.say("only " + received + " of " + count + " messages within "
                        + seconds(timeoutSeconds) + " s");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println("MulticastPeer: " + e);
            return 1;
        }
    }

    /** Up to {@code count} datagrams within {@code timeoutSeconds}; how many came. */
    private static int receive(MulticastSocket socket, int count, double timeoutSeconds,
            Output output) throws IOException {
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        int received = 0;
        DatagramPacket datagram;
        while (received < count
                && (datagram = GroupSockets.receiveBefore(socket, deadline)) != null) {
            received++;
            output.event(JsonLine.event("recv")
                    .put("peer", GroupSockets.peer(datagram))
                    .put("len", datagram.getLength())
                    .put("hex", Hex.encode(datagram.getData(), datagram.getOffset(),
                            datagram.getLength())));
            output.say("Received: " + new String(datagram.getData(), datagram.getOffset(),
                    datagram.getLength(), StandardCharsets.UTF_8));
        }
        return received;
    }

    /** Reads one line (or to end of input), so a test can start every peer before any sends. */
    private static void skipLine(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != -1 && b != '\n');
    }

    /** Seconds as Python's {@code :g} writes them: 5, not 5.0. */
    private static String seconds(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
