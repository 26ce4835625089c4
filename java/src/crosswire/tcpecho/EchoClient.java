package crosswire.tcpecho;

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
import crosswire.net.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lecture's Python TCP client, in Java: {@code EchoClient [message ...]} sends the lecture's
 * {@code Mon} … {@code Fri} (or the given messages, as UTF-8) over one connection and prints
 * each echo; with {@code --json} it sends each hex line of stdin instead. Each echo is read
 * whole, however TCP cuts it up.
 */
public final class EchoClient {
    static final String USAGE = "usage: EchoClient [--host HOST] [--port PORT]"
            + " [--timeout SECONDS] [message ...]\n"
            + "       EchoClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " < hex-lines";
    static final List<String> LECTURE_MESSAGES = List.of("Mon", "Tue", "Wed", "Thu", "Fri");
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;

    private EchoClient() {
    }

    public static void main(String[] args) {
        Program.main("EchoClient", USAGE, args, EchoClient::run);
    }

    /** Sends the messages, or every hex line of stdin with --json; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (options.has(Option.JSON) && !positional.isEmpty()) {
            throw new UsageException("with --json the messages come from stdin, not arguments");
        }
        String host = options.get(Option.HOST, DEFAULT_HOST);
        int port = options.get(Option.PORT, TcpEcho.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("EchoClient: unknown host " + host);
            return 1;
        }
        double timeoutSeconds = options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        try (EchoExchange exchange = new EchoExchange(
                new InetSocketAddress(address, port), timeoutSeconds)) {
            if (options.has(Option.JSON)) {
                return runBench(exchange, new HexLines(console.in()), console);
            }
            return runByHand(exchange, positional.isEmpty() ? LECTURE_MESSAGES : positional,
                    timeoutSeconds, console);
        } catch (IOException e) {
            // Reading stdin failed; the exchanges report their own errors.
            console.err().println("EchoClient: cannot read stdin: " + e);
            return 1;
        }
    }

    /** The messages one after the other, printed as the lecture does. */
    private static int runByHand(EchoExchange exchange, List<String> messages,
            double timeoutSeconds, Console console) {
        int status = 0;
        for (String message : messages) {
            try {
                exchange.send(message.getBytes(StandardCharsets.UTF_8));
                console.out().println("Sent: " + message);
                EchoExchange.Reply reply = exchange.receive();
                console.out().println("Received: "
                        + new String(reply.bytes, StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                console.out().println("No whole reply within " + Sockets.seconds(timeoutSeconds));
                status = 1;
            } catch (IOException e) {
                console.out().println("Error: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    /** Every hex line of stdin, one outcome event each, in order. */
    private static int runBench(EchoExchange exchange, HexLines input, Console console)
            throws IOException, UsageException {
        Events events = new Events(console.out());
        boolean allReplied = true;
        byte[] message;
        for (int seq = 0; (message = input.next()) != null; seq++) {
            try {
                exchange.send(message);
                EchoExchange.Reply reply = exchange.receive();
                events.emit(JsonLine.event("reply").put("seq", seq)
                        .put("len", reply.bytes.length)
                        .put("hex", Hex.encode(reply.bytes))
                        .put("rtt_ms", reply.rttMillis)
                        .put("attempts", 1));
            } catch (SocketTimeoutException e) {
                events.emit(JsonLine.event("timeout").put("seq", seq).put("attempts", 1));
                allReplied = false;
            } catch (IOException e) {
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", e.getMessage()));
                allReplied = false;
            }
        }
        return allReplied ? 0 : 1;
    }
}
