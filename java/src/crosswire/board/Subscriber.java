package crosswire.board;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.Stop;
import crosswire.bench.UsageException;
import crosswire.board.BoardDatagram.Msg;
import crosswire.board.BoardTracker.FetchRange;
import crosswire.multicast.GroupSockets;
import crosswire.multicast.Multicast;
import crosswire.multicast.MulticastOptions;
import crosswire.multicast.Output;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The board's subscriber: asks the server where the board is (LOOKUP), joins its group,
 * fetches the history it wants ({@code --since}), then delivers every message in sequence
 * order exactly once, fetching over TCP whatever the multicast lost ({@link BoardTracker}
 * decides what). Twin of {@code python/crosswire/board/subscriber.py}.
 *
 * <p>It runs until {@code --count} messages are delivered (exit 0) or {@code --timeout} passes
 * (exit 1 if a count was not reached, else 0); with neither, until it is stopped (exit 0, as
 * the Python twin). Each repair round opens a connection of its own and closes it, so an idle
 * subscriber holds none.
 */
public final class Subscriber {
    static final String USAGE = "usage: Subscriber TOPIC [--host HOST] [--port PORT]"
            + " [--since N|all] [--iface ADDR] [--count N] [--timeout SECONDS]"
            + " [--repair-timeout SECONDS] [--json]";
    static final String EXAMPLE = "board-subscriber";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_REPAIR_TIMEOUT_SECONDS = 0.5;
    /** How long connecting, and a LOOKUP or FETCH reply, may take. */
    static final double REQUEST_TIMEOUT_SECONDS = 5.0;
    /** The longest wait for a datagram before the loop looks at its clock again. */
    static final long MAX_WAIT_NANOS = 1_000_000_000L;

    private final String topic;
    private final InetSocketAddress server;
    private final BoardTracker tracker;
    private final Output output;
    private final Integer count;
    private final Stop stop;
    private int deliveredCount;
    /** The repair round's connection while one is open, so a stop can close it too. */
    private volatile BoardConnection repairing;

    private Subscriber(String topic, InetSocketAddress server, BoardTracker tracker,
            Output output, Integer count, Stop stop) {
        this.topic = topic;
        this.server = server;
        this.tracker = tracker;
        this.output = output;
        this.count = count;
        this.stop = stop;
    }

    public static void main(String[] args) {
        Program.main("Subscriber", USAGE, args, Subscriber::run);
    }

    /** Delivers the board's messages until the count, timeout or stop; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                BoardOptions.HOST, BoardOptions.PORT, BoardOptions.SINCE, BoardOptions.IFACE,
                BoardOptions.COUNT, BoardOptions.TIMEOUT, BoardOptions.REPAIR_TIMEOUT,
                BoardOptions.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() != 1) {
            throw new UsageException(positional.isEmpty() ? "say which TOPIC to subscribe to"
                    : "unexpected argument " + positional.get(1));
        }
        String topic = positional.get(0);
        int port = options.get(BoardOptions.PORT, BoardServer.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        Inet4Address iface = options.get(BoardOptions.IFACE, MulticastOptions.ANY_INTERFACE);
        double repairTimeoutSeconds =
                options.get(BoardOptions.REPAIR_TIMEOUT, DEFAULT_REPAIR_TIMEOUT_SECONDS);
        long repairTimeoutNanos = (long) (repairTimeoutSeconds * 1e9);
        Double timeoutSeconds = options.get(BoardOptions.TIMEOUT);
        long started = System.nanoTime();
        String host = options.get(BoardOptions.HOST, DEFAULT_HOST);
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("Subscriber: unknown host " + host);
            return 1;
        }
        InetSocketAddress server = new InetSocketAddress(address, port);
        Output output = new Output(options.has(BoardOptions.JSON), "Subscriber", console);

        BoardReply.Board board = lookup(server, topic, output);
        if (board == null) {
            return 1;
        }
        Inet4Address group = groupOf(board);
        if (group == null) {
            output.error(null, "the server put board " + topic + " at " + board.group()
                    + ", which is not an IPv4 multicast group");
            return 1;
        }
        MulticastSocket joined;
        try {
            joined = GroupSockets.groupSocket(group, group, board.port(), iface);
        } catch (IOException e) {
            output.error(null, "cannot join " + group.getHostAddress() + ":" + board.port()
                    + " on " + iface.getHostAddress() + ": " + e.getMessage());
            return 1;
        }
        try (MulticastSocket socket = joined) {
            output.line("READY " + EXAMPLE + " " + group.getHostAddress() + ":" + board.port()
                    + " iface=" + iface.getHostAddress());
            Long since = options.get(BoardOptions.SINCE);
            BoardTracker tracker =
                    BoardTracker.starting(topic, since, board.lastSeq(), repairTimeoutNanos);
            Subscriber subscriber = new Subscriber(topic, server, tracker, output,
                    options.get(BoardOptions.COUNT), console.stop());
            // Closing the sockets wakes the blocked receive (or a repair round's read).
            console.stop().onRequest(() -> subscriber.close(socket));
            Long deadline = timeoutSeconds == null ? null
                    : started + (long) (timeoutSeconds * 1e9);
            return subscriber.receive(socket, deadline, timeoutSeconds);
        } catch (IOException e) {
            if (console.stop().requested()) {
                return 0;
            }
            output.error(null, "receive failed: " + e);
            return 1;
        }
    }

    /** The board, or null after reporting why not. */
    private static BoardReply.Board lookup(InetSocketAddress server, String topic,
            Output output) {
        try (BoardConnection connection = BoardConnection.open(server, REQUEST_TIMEOUT_SECONDS)) {
            BoardReply reply = connection.exchange(
                    new BoardRequest.Lookup(connection.nextRequestId(), topic));
            if (reply instanceof BoardReply.Board board) {
                return board;
            }
            if (reply instanceof BoardReply.Error error) {
                output.error(error.code(), error.message());
                // Said on stderr too, as the Python twin does: the subscriber cannot start.
                output.err().println("board subscriber: " + error.code() + " " + error.message());
            } else {
                output.error(null, "unexpected reply to LOOKUP: " + reply);
            }
        } catch (IOException e) {
            output.error(null, "LOOKUP failed: " + e.getMessage());
        } catch (BoardProtocolException e) {
            output.error(null, "bad reply to LOOKUP: " + e.getMessage());
        }
        return null;
    }

    private static Inet4Address groupOf(BoardReply.Board board) {
        try {
            Inet4Address group = Option.ipv4Literal("group", board.group());
            return Multicast.isGroup(group) ? group : null;
        } catch (UsageException e) {
            return null;
        }
    }

    /**
     * Delivers until the count is reached (0), the deadline passes (1 if a count was not
     * reached, else 0) or the stop is requested (0).
     */
    private int receive(MulticastSocket socket, Long deadline, Double timeoutSeconds)
            throws IOException {
        if (reached()) {
            return 0;
        }
        while (!stop.requested()) {
            long now = System.nanoTime();
            if (deadline != null && now - deadline >= 0) {
                return timedOut(timeoutSeconds);
            }
            List<FetchRange> due = tracker.fetchesDue(now);
            if (!due.isEmpty()) {
                if (fetch(due)) {
                    return 0;
                }
                continue;
            }
            long wait = MAX_WAIT_NANOS;
            Long repairAt = tracker.nextDeadline();
            if (repairAt != null) {
                wait = Math.min(wait, Math.max(0, repairAt - now));
            }
            if (deadline != null) {
                wait = Math.min(wait, deadline - now);
            }
            DatagramPacket datagram = GroupSockets.receiveWithin(socket, wait);
            if (datagram != null && take(datagram)) {
                return 0;
            }
        }
        return 0;
    }

    /** The stop: closes the group socket and the repair connection, if one is open. */
    private void close(MulticastSocket socket) {
        socket.close();
        BoardConnection connection = repairing;
        if (connection != null) {
            connection.close();
        }
    }

    /** One datagram; true once the count is reached. */
    private boolean take(DatagramPacket packet) {
        BoardDatagram datagram;
        try {
            datagram = BoardMessages.decodeDatagram(packet.getData(), packet.getOffset(),
                    packet.getLength());
        } catch (MalformedBodyException e) {
            // Another version's datagram is ignored too, and said so.
            reportIgnored(packet, e.getMessage());
            return false;
        }
        if (!datagram.topic().equals(topic)) {
            reportIgnored(packet, "a datagram about board " + datagram.topic() + ", not "
                    + topic);
            return false;
        }
        if (datagram instanceof Msg msg) {
            return deliver(tracker.onMsg(msg));
        }
        tracker.onHeartbeat((BoardDatagram.Heartbeat) datagram);
        return false;
    }

    /**
     * FETCHes {@code due} over one connection; true once the count is reached. A failure is
     * reported; the ranges count as asked for, so they are asked again after the repair
     * timeout.
     */
    private boolean fetch(List<FetchRange> due) {
        try (BoardConnection connection = BoardConnection.open(server, REQUEST_TIMEOUT_SECONDS)) {
            repairing = connection;
            if (stop.requested()) {
                // A stop that came before repairing was set has not closed this connection.
                return false;
            }
            for (FetchRange range : due) {
                output.event(JsonLine.event("repair").put("topic", topic)
                        .put("from", range.fromSeq()).put("to", range.toSeq()));
                BoardReply reply = connection.exchange(new BoardRequest.Fetch(
                        connection.nextRequestId(), topic, range.fromSeq(), range.toSeq()));
                if (reply instanceof BoardReply.Messages messages
                        && messages.topic().equals(topic)) {
                    if (deliver(tracker.onMessages(range, messages))) {
                        return true;
                    }
                } else if (reply instanceof BoardReply.Error error) {
                    output.error(error.code(), error.message());
                } else {
                    output.error(null, "unexpected reply to FETCH: " + reply);
                }
            }
        } catch (IOException e) {
            if (!stop.requested()) {
                output.error(null, "FETCH failed: " + e.getMessage()
                        + "; asking again after the repair timeout");
            }
        } catch (BoardProtocolException e) {
            output.error(null, "bad reply to FETCH: " + e.getMessage());
        } finally {
            repairing = null;
        }
        return false;
    }

    /** Prints {@code messages} in order, up to the count; true once the count is reached. */
    private boolean deliver(List<Msg> messages) {
        for (Msg message : messages) {
            if (reached()) {
                return true;
            }
            output.event(JsonLine.event("deliver").put("topic", topic)
                    .put("seq", message.seq())
                    .put("hex", Hex.encode(SurrogatePassUtf8.encode(message.text()))));
            output.say("[" + topic + " #" + message.seq() + "] " + message.text());
            deliveredCount++;
        }
        return reached();
    }

    private boolean reached() {
        return count != null && deliveredCount >= count;
    }

    private int timedOut(Double timeoutSeconds) {
        if (count == null) {
            return 0;
        }
        output.say("only " + deliveredCount + " of " + count + " messages within "
                + timeoutSeconds + " s");
        return 1;
    }

    private void reportIgnored(DatagramPacket packet, String why) {
        if (output.json()) {
            output.event(JsonLine.event("error").put("peer", GroupSockets.peer(packet))
                    .put("detail", "datagram ignored: " + why));
        } else {
            output.err().println("Subscriber: datagram from " + GroupSockets.peer(packet)
                    + " ignored: " + why);
        }
    }
}
