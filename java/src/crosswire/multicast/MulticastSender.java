package crosswire.multicast;

import crosswire.bench.Console;
import crosswire.bench.HexLines;
import crosswire.bench.JsonLine;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The lecture's multicast sender: sends each message to the group, then collects the
 * {@code ack}s. The twin of {@code crosswire.multicast.sender}.
 *
 * <p>Fixed from the lecture (whose sender is Python): acks are counted per message and named by
 * their source, so a lost message shows; the outgoing interface is set ({@code --iface}) and
 * reported; the receive buffer holds any datagram (the lecture's 16 bytes truncated).
 */
public final class MulticastSender {
    static final Inet4Address DEFAULT_GROUP = MulticastOptions.address("224.3.29.71");
    static final int DEFAULT_PORT = 10000;
    static final String DEFAULT_MESSAGE = "very important data";
    static final double DEFAULT_ACK_TIMEOUT_SECONDS = 1.0;
    static final String USAGE = "usage: MulticastSender [--group ADDR] [--port PORT]"
            + " [--iface ADDR] [--ttl N] [--ack-timeout SECONDS] [--expect-acks N] [message]\n"
            + "       MulticastSender --json [options] < hex-lines";

    /** The largest payload over IPv4: 65,535 less 20 bytes of IP header and 8 of UDP header. */
    static final int MAX_PAYLOAD = 65_507;

    /** Where the messages come from: stdin's hex lines, or the one from the command line. */
    private interface Messages {
        /** The next message, or null when there are no more. */
        byte[] next() throws IOException, UsageException;
    }

    private final MulticastSocket socket;
    private final Inet4Address group;
    private final int port;
    private final long ackTimeoutNanos;
    private final Integer expected;
    private final Output output;

    private MulticastSender(MulticastSocket socket, Inet4Address group, int port,
            double ackTimeoutSeconds, Integer expected, Output output) {
        this.socket = socket;
        this.group = group;
        this.port = port;
        this.ackTimeoutNanos = (long) (ackTimeoutSeconds * 1e9);
        this.expected = expected;
        this.output = output;
    }

    public static void main(String[] args) {
        Program.main("MulticastSender", USAGE, args, MulticastSender::run);
    }

    /** Sends each message and counts its acks; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                MulticastOptions.GROUP, MulticastOptions.PORT, MulticastOptions.IFACE,
                MulticastOptions.TTL, MulticastOptions.ACK_TIMEOUT, MulticastOptions.EXPECT_ACKS,
                MulticastOptions.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (options.has(MulticastOptions.JSON) && !positional.isEmpty()) {
            throw new UsageException("with --json the messages come from stdin, not arguments");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument " + positional.get(1));
        }
        Inet4Address group = options.get(MulticastOptions.GROUP, DEFAULT_GROUP);
        int port = options.get(MulticastOptions.PORT, DEFAULT_PORT);
        Inet4Address iface = options.get(MulticastOptions.IFACE, MulticastOptions.ANY_INTERFACE);
        int ttl = options.get(MulticastOptions.TTL, 1);
        Output output = new Output(options.has(MulticastOptions.JSON), "MulticastSender", console);
        Messages messages;
        if (options.has(MulticastOptions.JSON)) {
            messages = new HexLines(console.in())::next;
        } else {
            byte[] only = (positional.isEmpty() ? DEFAULT_MESSAGE : positional.get(0))
                    .getBytes(StandardCharsets.UTF_8);
            Iterator<byte[]> one = List.of(only).iterator();
            messages = () -> one.hasNext() ? one.next() : null;
        }
        // Bound to an ephemeral port on the wildcard address: where the acks come back to.
        try (MulticastSocket socket = GroupSockets.sender(ttl, iface)) {
            output.event(JsonLine.event("interface")
                    .put("iface", GroupSockets.multicastInterface(socket))
                    .put("ttl", ttl));
            MulticastSender sender = new MulticastSender(socket, group, port,
                    options.get(MulticastOptions.ACK_TIMEOUT, DEFAULT_ACK_TIMEOUT_SECONDS),
                    options.get(MulticastOptions.EXPECT_ACKS), output);
            int status = sender.sendAll(messages);
            output.say("closing socket");
            return status;
        } catch (IOException e) {
            console.err().println("MulticastSender: " + e);
            return 1;
        }
    }

    /** Every message in turn, one in flight at a time; 0 if each got its acks, else 1. */
    private int sendAll(Messages messages) throws IOException, UsageException {
        int status = 0;
        byte[] message;
        for (int seq = 0; (message = messages.next()) != null; seq++) {
            output.say("sending '" + new String(message, StandardCharsets.UTF_8) + "' to "
                    + group.getHostAddress() + ":" + port);
            if (message.length > MAX_PAYLOAD) {
                // The Python twin dies on its "Message too long"; this one says so and goes on.
                reportError(seq, "message is " + message.length + " bytes; a UDP datagram over"
                        + " IPv4 carries at most " + MAX_PAYLOAD);
                status = 1;
                continue;
            }
            try {
                socket.send(new DatagramPacket(message, message.length, group, port));
            } catch (IOException e) {
                reportError(seq, e.toString());
                status = 1;
                continue;
            }
            output.event(JsonLine.event("sent").put("seq", seq).put("len", message.length));
            int count = collectAcks(seq);
            output.event(JsonLine.event("acks").put("seq", seq).put("count", count));
            if (count == 0 || (expected != null && count != expected)) {
                status = 1;
            }
        }
        return status;
    }

    /** Acks for message {@code seq} until the ack timeout passes or the expected number came. */
    private int collectAcks(int seq) throws IOException {
        int count = 0;
        long deadline = System.nanoTime() + ackTimeoutNanos;
        while (expected == null || count < expected) {
            output.say("waiting to receive");
            DatagramPacket datagram = GroupSockets.receiveBefore(socket, deadline);
            if (datagram == null) {
                output.say("timed out, no more responses");
                break;
            }
            if (!Arrays.equals(datagram.getData(), datagram.getOffset(),
                    datagram.getOffset() + datagram.getLength(),
                    Multicast.ACK, 0, Multicast.ACK.length)) {
                output.event(JsonLine.event("stale").put("seq", seq)
                        .put("len", datagram.getLength())
                        .put("peer", GroupSockets.peer(datagram)));
                continue;
            }
            count++;
            output.event(JsonLine.event("ack").put("seq", seq)
                    .put("peer", GroupSockets.peer(datagram)));
            output.say("received \"ack\" from " + datagram.getSocketAddress());
        }
        return count;
    }

    private void reportError(int seq, String detail) {
        output.event(JsonLine.event("error").put("seq", seq).put("detail", detail));
        if (!output.json()) {
            output.err().println("MulticastSender: " + detail);
        }
    }
}
