package crosswire.multicast;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;
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
    static final Inet4Address DEFAULT_GROUP = MulticastOptions.address("228.5.6.7");
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
        Program.main("MulticastPeer", USAGE, args, MulticastPeer::run);
    }

    /** Sends the message and prints the next ones the group carries; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                MulticastOptions.GROUP, MulticastOptions.PORT, MulticastOptions.IFACE,
                MulticastOptions.TTL, MulticastOptions.COUNT, MulticastOptions.TIMEOUT,
                MulticastOptions.MESSAGE_HEX, MulticastOptions.WAIT_START, MulticastOptions.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument " + positional.get(1));
        }
        byte[] messageHex = options.get(MulticastOptions.MESSAGE_HEX);
        if (!positional.isEmpty() && messageHex != null) {
            throw new UsageException("give the message as an argument or with --message-hex,"
                    + " not both");
        }
        byte[] message = messageHex != null ? messageHex
                : (positional.isEmpty() ? DEFAULT_MESSAGE : positional.get(0))
                        .getBytes(StandardCharsets.UTF_8);
        Inet4Address group = options.get(MulticastOptions.GROUP, DEFAULT_GROUP);
        int port = options.get(MulticastOptions.PORT, DEFAULT_PORT);
        Inet4Address iface = options.get(MulticastOptions.IFACE, MulticastOptions.ANY_INTERFACE);
        Output output = new Output(options.has(MulticastOptions.JSON), "MulticastPeer", console);
        MulticastSocket joined;
        try {
            joined = GroupSockets.groupSocket(null, group, port, iface);
        } catch (IOException e) {
            console.err().println("MulticastPeer: cannot join " + group.getHostAddress() + ":"
                    + port + ": " + e.getMessage());
            return 1;
        }
        // Closing the socket wakes the receive, so a stop ends the peer before its timeout.
        console.stop().onRequest(joined::close);
        try (MulticastSocket socket = joined) {
            int ttl = options.get(MulticastOptions.TTL, 1);
            GroupSockets.configureSending(socket, ttl, iface);
            output.event(JsonLine.event("interface")
                    .put("iface", GroupSockets.multicastInterface(socket))
                    .put("ttl", ttl));
            output.line("READY " + EXAMPLE + " " + group.getHostAddress() + ":" + port
                    + " iface=" + iface.getHostAddress());
            if (options.has(MulticastOptions.WAIT_START)) {
                skipLine(console.in());
            }
            socket.send(new DatagramPacket(message, message.length, group, port));
            output.event(JsonLine.event("sent").put("len", message.length));
            int count = options.get(MulticastOptions.COUNT, DEFAULT_COUNT);
            double timeoutSeconds = options.get(MulticastOptions.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
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
            if (console.stop().requested()) {
                // Stopped before it was done, like a peer killed by SIGTERM: not a success, and
                // not an error to report.
                return 1;
            }
            console.err().println("MulticastPeer: " + e);
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
