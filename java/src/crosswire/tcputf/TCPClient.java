package crosswire.tcputf;

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
import java.util.List;

/**
 * The lecture's TCP client: {@code TCPClient [message] [hostname]} sends one string with
 * {@code writeUTF} and prints the echo; with {@code --json} it sends each line of stdin (a
 * string's UTF-16 code units in hex) instead, one connection per message unless
 * {@code --persistent}.
 */
public final class TCPClient {
    static final String USAGE = "usage: TCPClient [--port PORT] [--timeout SECONDS]"
            + " [message] [hostname]\n"
            + "       TCPClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " [--persistent] < hex-lines";
    static final String DEFAULT_MESSAGE = "Hello";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;

    private TCPClient() {
    }

    public static void main(String[] args) {
        Program.main("TCPClient", USAGE, args, TCPClient::run);
    }

    /** Sends the message, or every hex line of stdin with --json; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.JSON, Option.PERSISTENT);
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
        int port = options.get(Option.PORT, TcpUtf.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("TCPClient: unknown host " + host);
            return 1;
        }
        double timeoutSeconds = options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        try (UtfExchange exchange = new UtfExchange(
                new InetSocketAddress(address, port), timeoutSeconds)) {
            if (options.has(Option.JSON)) {
                return runBench(exchange, new HexLines(console.in()),
                        options.has(Option.PERSISTENT), console);
            }
            String message = positional.isEmpty() ? DEFAULT_MESSAGE : positional.get(0);
            return runByHand(exchange, message, host + ":" + port, timeoutSeconds, console);
        } catch (IOException e) {
            // Reading stdin failed; the exchanges report their own errors.
            console.err().println("TCPClient: cannot read stdin: " + e);
            return 1;
        }
    }

    /** One message from the command line, its echo printed as the lecture does. */
    private static int runByHand(UtfExchange exchange, String message, String server,
            double timeoutSeconds, Console console) {
        long encoded = ModifiedUtf8.encodedLength(message);
        if (encoded > ModifiedUtf8.MAX_ENCODED_LENGTH) {
            console.err().println("TCPClient: " + tooLong(encoded));
            return 1;
        }
        try {
            console.out().println("Received: " + exchange.exchange(message).text);
            return 0;
        } catch (SocketTimeoutException e) {
            console.err().println("TCPClient: no reply from " + server + " within "
                    + Sockets.seconds(timeoutSeconds));
        } catch (IOException e) {
            console.err().println("TCPClient: " + e.getMessage());
        }
        return 1;
    }

    /** Every line of stdin, one outcome event each, in order. */
    private static int runBench(UtfExchange exchange, HexLines input, boolean persistent,
            Console console) throws IOException, UsageException {
        Events events = new Events(console.out());
        boolean allReplied = true;
        String message;
        for (int seq = 0; (message = input.nextUtf16()) != null; seq++) {
            long encoded = ModifiedUtf8.encodedLength(message);
            if (encoded > ModifiedUtf8.MAX_ENCODED_LENGTH) {
                // Refused before anything reaches the socket; a persistent connection stays.
                events.emit(JsonLine.event("error").put("seq", seq)
                        .put("detail", tooLong(encoded)));
                allReplied = false;
                continue;
            }
            try {
                UtfExchange.Reply reply = exchange.exchange(message);
                events.emit(JsonLine.event("reply").put("seq", seq)
                        .put("len", reply.text.length())
                        .put("hex", Hex.encodeUtf16(reply.text))
                        .put("rtt_ms", reply.rttMillis)
                        .put("attempts", 1));
            } catch (SocketTimeoutException e) {
                events.emit(JsonLine.event("timeout").put("seq", seq).put("attempts", 1));
                allReplied = false;
            } catch (IOException e) {
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", e.getMessage()));
                allReplied = false;
            }
            if (!persistent) {
                exchange.disconnect();
            }
        }
        return allReplied ? 0 : 1;
    }

    /** Java's own words (UTFDataFormatException), and what they mean. */
    private static String tooLong(long encoded) {
        return "encoded string too long: " + encoded + " bytes; a writeUTF frame holds at most "
                + ModifiedUtf8.MAX_ENCODED_LENGTH + " bytes of modified UTF-8, so nothing was sent";
    }
}
