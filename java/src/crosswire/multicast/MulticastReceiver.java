package crosswire.multicast;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.nio.charset.StandardCharsets;

/**
 * The lecture's multicast receiver: joins the group, prints each message, unicasts {@code ack}
 * back. The twin of {@code crosswire.multicast.receiver}.
 *
 * <p>It binds the group's address, not the wildcard, so datagrams for other groups on this port
 * stay out; that is fine here because it never sends from that socket (a dual-stack Java socket
 * bound to a group cannot send: Linux keeps the group as its source address, EINVAL).
 */
public final class MulticastReceiver {
    static final String EXAMPLE = "multicast-receiver";
    static final Inet4Address DEFAULT_GROUP = MulticastOptions.address("224.3.29.71");
    static final int DEFAULT_PORT = 10000;
    static final String USAGE =
            "usage: MulticastReceiver [--group ADDR] [--port PORT] [--iface ADDR] [--json]";

    private final MulticastSocket socket;
    private final DatagramSocket ackSocket;
    private final Output output;

    private MulticastReceiver(MulticastSocket socket, DatagramSocket ackSocket, Output output) {
        this.socket = socket;
        this.ackSocket = ackSocket;
        this.output = output;
    }

    /** Joins the group on {@code iface} and opens the ack socket, or closes what it opened. */
    static MulticastReceiver open(Inet4Address group, int port, Inet4Address iface, Output output)
            throws IOException {
        MulticastSocket socket = GroupSockets.groupSocket(group, group, port, iface);
        try {
            // Acks leave from a socket of this receiver's own, not the shared group port, so a
            // sender can tell apart receivers that share a host (and the readiness line names it).
            DatagramSocket ackSocket = new DatagramSocket(new InetSocketAddress(iface, 0));
            return new MulticastReceiver(socket, ackSocket, output);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public static void main(String[] args) {
        Program.main("MulticastReceiver", USAGE, args, MulticastReceiver::run);
    }

    /** Receives on {@code console} until its stop is requested; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                MulticastOptions.GROUP, MulticastOptions.PORT, MulticastOptions.IFACE,
                MulticastOptions.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        Inet4Address group = options.get(MulticastOptions.GROUP, DEFAULT_GROUP);
        int port = options.get(MulticastOptions.PORT, DEFAULT_PORT);
        Inet4Address iface = options.get(MulticastOptions.IFACE, MulticastOptions.ANY_INTERFACE);
        Output output = new Output(options.has(MulticastOptions.JSON), "MulticastReceiver",
                console);
        MulticastReceiver receiver;
        try {
            receiver = open(group, port, iface, output);
        } catch (IOException e) {
            console.err().println("MulticastReceiver: cannot join " + group.getHostAddress() + ":"
                    + port + ": " + e.getMessage());
            return 1;
        }
        // Closing the sockets wakes the blocked receive; they are closed again (harmlessly) when
        // the receiver ends, so none is left open in a JVM that lives on.
        console.stop().onRequest(receiver::close);
        try {
            output.line("READY " + EXAMPLE + " " + group.getHostAddress() + ":" + port
                    + " iface=" + iface.getHostAddress()
                    + " ack=" + GroupSockets.localAddress(receiver.ackSocket));
            receiver.serve();
            return 0;
        } finally {
            receiver.close();
        }
    }

    /** Receives and acks datagrams until the socket is closed. */
    private void serve() {
        while (!socket.isClosed()) {
            output.say("\nwaiting to receive message");
            DatagramPacket datagram =
                    new DatagramPacket(new byte[GroupSockets.RECEIVE_BUFFER],
                            GroupSockets.RECEIVE_BUFFER);
            try {
                socket.receive(datagram);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    reportError(null, "receive failed: " + e);
                }
                continue;
            }
            report(datagram);
            output.say("sending acknowledgement to " + datagram.getSocketAddress());
            try {
                ackSocket.send(new DatagramPacket(Multicast.ACK, Multicast.ACK.length,
                        datagram.getSocketAddress()));
            } catch (IOException e) {
                if (!ackSocket.isClosed()) {
                    reportError(GroupSockets.peer(datagram), "ack failed: " + e);
                }
            }
        }
    }

    private void report(DatagramPacket datagram) {
        output.event(JsonLine.event("recv")
                .put("peer", GroupSockets.peer(datagram))
                .put("len", datagram.getLength())
                .put("hex", Hex.encode(datagram.getData(), datagram.getOffset(),
                        datagram.getLength())));
        output.say("received " + datagram.getLength() + " bytes from "
                + datagram.getSocketAddress());
        // Exactly the datagram's bytes, not the whole buffer (the lecture's Java printed it all).
        output.say(new String(datagram.getData(), datagram.getOffset(), datagram.getLength(),
                StandardCharsets.UTF_8));
    }

    private void reportError(String peer, String detail) {
        if (output.json()) {
            JsonLine event = JsonLine.event("error");
            if (peer != null) {
                event.put("peer", peer);
            }
            output.event(event.put("detail", detail));
        } else {
            output.err().println("MulticastReceiver: " + (peer != null ? peer + ": " : "")
                    + detail);
        }
    }

    private void close() {
        socket.close();
        ackSocket.close();
    }
}
