package crosswire.tcpthreaded;

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
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lecture's multithreaded TCP client, in Java: {@code ThreadedClient [hostname]} reads
 * lines at the prompt {@code Message to send: }, sends each and prints the server's reply
 * line, until end of input or {@code bye} (the lecture's client never ended); with
 * {@code --json} it sends each hex line of stdin instead.
 */
public final class ThreadedClient {
    static final String USAGE = "usage: ThreadedClient [--port PORT] [--timeout SECONDS]"
            + " [hostname]\n"
            + "       ThreadedClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " < hex-lines";
    static final String PROMPT = "Message to send: ";
    static final String QUIT = "bye";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;

    private ThreadedClient() {
    }

    public static void main(String[] args) {
        Program.main("ThreadedClient", USAGE, args, ThreadedClient::run);
    }

    /** Sends the lines typed, or every hex line of stdin with --json; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (options.has(Option.JSON) && !positional.isEmpty()) {
            throw new UsageException("with --json the messages come from stdin; "
                    + "give the server with --host, not as an argument");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument " + positional.get(1));
        }
        if (positional.size() == 1 && options.has(Option.HOST)) {
            throw new UsageException("give the hostname as an argument or with --host, not both");
        }
        String host = positional.size() == 1 ? positional.get(0)
                : options.get(Option.HOST, DEFAULT_HOST);
        int port = options.get(Option.PORT, LineProtocol.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("ThreadedClient: unknown host " + host);
            return 1;
        }
        double timeoutSeconds = options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        try (LineExchange exchange = new LineExchange(
                new InetSocketAddress(address, port), timeoutSeconds)) {
            if (options.has(Option.JSON)) {
                return runBench(exchange, new HexLines(console.in()), true,
                        new Events(console.out()));
            }
            return runByHand(exchange, new BufferedInputStream(console.in()), timeoutSeconds,
                    console);
        } catch (IOException e) {
            // Reading stdin failed; the exchanges report their own errors.
            console.err().println("ThreadedClient: cannot read stdin: " + e);
            return 1;
        }
    }

    /** Lines typed at the prompt, each reply printed, until end of input or "bye". */
    private static int runByHand(LineExchange exchange, InputStream keyboard,
            double timeoutSeconds, Console console) throws IOException {
        int status = 0;
        while (true) {
            console.out().print(PROMPT);
            console.out().flush();
            byte[] typed = readLine(keyboard);
            if (typed == null
                    || new String(typed, StandardCharsets.UTF_8).strip().equals(QUIT)) {
                return status;
            }
            try {
                LineExchange.Reply reply = exchange.exchange(LineProtocol.encodeLine(typed));
                console.out().println(new String(reply.line, StandardCharsets.UTF_8));
                continue;
            } catch (BadMessageException e) {
                console.out().println("Not sent: " + e.getMessage());
            } catch (SocketTimeoutException e) {
                console.out().println("No reply within " + Sockets.seconds(timeoutSeconds));
            } catch (IOException e) {
                console.out().println("Error: " + e.getMessage());
            }
            status = 1;
        }
    }

    /** The next line of {@code in} without its {@code \n}, as bytes; null at end of input. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != LineProtocol.NEWLINE) {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toByteArray();
    }

    /**
     * Every hex line of stdin, one outcome event each on {@code events}, in order; the exit
     * status. Messages that are not UTF-8 are refused only if {@code requireUtf8}.
     *
     * @throws UsageException at the first line that is not hexadecimal
     */
    public static int runBench(LineExchange exchange, HexLines input, boolean requireUtf8,
            Events events) throws IOException, UsageException {
        boolean allReplied = true;
        byte[] message;
        for (int seq = 0; (message = input.next()) != null; seq++) {
            try {
                LineExchange.Reply reply =
                        exchange.exchange(LineProtocol.encodeLine(message, requireUtf8));
                events.emit(JsonLine.event("reply").put("seq", seq)
                        .put("len", reply.line.length)
                        .put("hex", Hex.encode(reply.line))
                        .put("rtt_ms", reply.rttMillis)
                        .put("attempts", 1));
                continue;
            } catch (BadMessageException e) {
                // Refused before anything reaches the socket; the connection stays.
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", e.getMessage()));
            } catch (SocketTimeoutException e) {
                events.emit(JsonLine.event("timeout").put("seq", seq).put("attempts", 1));
            } catch (IOException e) {
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", e.getMessage()));
            }
            allReplied = false;
        }
        return allReplied ? 0 : 1;
    }
}
