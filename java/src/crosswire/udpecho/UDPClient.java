package crosswire.udpecho;

import crosswire.bench.Console;
import crosswire.bench.Events;
import crosswire.bench.Hex;
import crosswire.bench.HexLines;
import crosswire.bench.JsonLine;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lecture's UDP client: {@code UDPClient [message] [hostname]} sends one message to the echo
 * server and prints the reply; with {@code --json} it sends each hex line of stdin instead.
 */
public final class UDPClient {
    static final String USAGE = "usage: UDPClient [--port PORT] [--timeout SECONDS]"
            + " [--retries N] [message] [hostname]\n"
            + "       UDPClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " [--retries N] < hex-lines";
    static final String DEFAULT_MESSAGE = "Hello";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;
    static final int DEFAULT_RETRIES = 2;

    private UDPClient() {
    }

    public static void main(String[] args) {
        Program.main("UDPClient", USAGE, args, UDPClient::run);
    }

    /** Sends the message, or every hex line of stdin with --json; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.RETRIES, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (options.has(Option.JSON) && !positional.isEmpty()) {
            throw new UsageException("with --json the messages come from stdin; "
                    + "give the server with --host, not as an argument");
        }
        if (positional.size() > 2) {
            throw new UsageException("unexpected argument " + positional.get(2));
        }
        if (positional.size() == 2 && options.has(Option.HOST)) {
            throw new UsageException("give the hostname as an argument or with --host, not both");
        }
        String host = positional.size() == 2 ? positional.get(1)
                : options.get(Option.HOST, DEFAULT_HOST);
        int port = options.get(Option.PORT, Datagrams.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress server;
        try {
            server = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("UDPClient: unknown host " + host);
            return 1;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            EchoExchange exchange = new EchoExchange(socket, server, port,
                    options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS),
                    options.get(Option.RETRIES, DEFAULT_RETRIES));
            if (options.has(Option.JSON)) {
                return runBench(exchange, new HexLines(console.in()), console);
            }
            String message = positional.isEmpty() ? DEFAULT_MESSAGE : positional.get(0);
            return runByHand(exchange, message, host, port, console);
        } catch (IOException e) {
            console.err().println("UDPClient: " + e);
            return 1;
        }
    }

    /** One message from the command line, its reply printed as text. */
    private static int runByHand(EchoExchange exchange, String message, String host, int port,
            Console console) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Datagrams.MAX_PAYLOAD) {
            console.err().println("UDPClient: the message is " + bytes.length
                    + " bytes; a UDP datagram carries at most " + Datagrams.MAX_PAYLOAD);
            return 1;
        }
        EchoExchange.Outcome outcome = exchange.exchange(bytes, datagram ->
                console.err().println("(ignored " + datagram.getLength() + " bytes from "
                        + Datagrams.peer(datagram) + ")"));
        if (!outcome.replied) {
            console.err().println("UDPClient: no reply from " + host + ":" + port + " after "
                    + outcome.attempts + " attempt(s); is the server running?");
            return 1;
        }
        console.out().println("Reply: " + new String(outcome.reply, StandardCharsets.UTF_8));
        return 0;
    }

    /** Every hex line of stdin, one outcome event each, in order. */
    private static int runBench(EchoExchange exchange, HexLines input, Console console)
            throws IOException, UsageException {
        Events events = new Events(console.out());
        boolean allReplied = true;
        byte[] message;
        for (int seq = 0; (message = input.next()) != null; seq++) {
            final int current = seq;
            if (message.length > Datagrams.MAX_PAYLOAD) {
                events.emit(JsonLine.event("error").put("seq", seq).put("detail",
                        "message is " + message.length + " bytes; a UDP datagram over IPv4"
                                + " carries at most " + Datagrams.MAX_PAYLOAD));
                allReplied = false;
                continue;
            }
            EchoExchange.Outcome outcome;
            try {
                outcome = exchange.exchange(message, datagram ->
                        events.emit(JsonLine.event("stale").put("seq", current)
                                .put("len", datagram.getLength())
                                .put("peer", Datagrams.peer(datagram))));
            } catch (IOException e) {
                // For example "Message too long" towards an IPv6 host, or no route to it.
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", e.toString()));
                allReplied = false;
                continue;
            }
            if (outcome.replied) {
                events.emit(JsonLine.event("reply").put("seq", seq)
                        .put("len", outcome.reply.length)
                        .put("hex", Hex.encode(outcome.reply))
                        .put("rtt_ms", outcome.rttMillis)
                        .put("attempts", outcome.attempts));
            } else {
                events.emit(JsonLine.event("timeout").put("seq", seq)
                        .put("attempts", outcome.attempts));
                allReplied = false;
            }
        }
        return allReplied ? 0 : 1;
    }
}
