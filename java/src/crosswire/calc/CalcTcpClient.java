package crosswire.calc;

import crosswire.bench.Console;
import crosswire.bench.Events;
import crosswire.bench.HexLines;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.net.Sockets;
import crosswire.tcpthreaded.BadMessageException;
import crosswire.tcpthreaded.LineExchange;
import crosswire.tcpthreaded.LineProtocol;
import crosswire.tcpthreaded.ThreadedClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The calculator's TCP client: {@code CalcTcpClient "+ 4 5" ...} sends each request as a line
 * and prints its reply line; without requests it reads them at the prompt {@code calc> } until
 * end of input or {@code bye}; with {@code --json} it sends each hex line of stdin. A request
 * is a line and its reply is a line, so the transport is the multithreaded example's line
 * client ({@link LineExchange}); bytes that are not UTF-8 are sent as they are, since
 * answering them ({@code ERR BAD_UTF8}) is the server's job. Twin of
 * python/crosswire/calc/tcp_client.py.
 */
public final class CalcTcpClient {
    static final String USAGE = "usage: CalcTcpClient [--host HOST] [--port PORT]"
            + " [--timeout SECONDS] [request ...]\n"
            + "       CalcTcpClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " < hex-lines";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;

    private CalcTcpClient() {
    }

    public static void main(String[] args) {
        Program.main("CalcTcpClient", USAGE, args, CalcTcpClient::run);
    }

    /** Sends each request, given, typed or (--json) in hex; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (options.has(Option.JSON) && !options.positional().isEmpty()) {
            throw new UsageException("with --json the requests come from stdin, not arguments");
        }
        String host = options.get(Option.HOST, DEFAULT_HOST);
        int port = options.get(Option.PORT, CalcTcpServer.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("CalcTcpClient: unknown host " + host);
            return 1;
        }
        double timeoutSeconds = options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        try (LineExchange exchange = new LineExchange(
                new InetSocketAddress(address, port), timeoutSeconds)) {
            if (options.has(Option.JSON)) {
                return ThreadedClient.runBench(exchange, new HexLines(console.in()), false,
                        new Events(console.out()));
            }
            return runByHand(exchange, TypedRequests.from(options.positional(), console),
                    timeoutSeconds, console);
        } catch (IOException e) {
            // Reading stdin failed; the exchanges report their own errors.
            console.err().println("CalcTcpClient: cannot read stdin: " + e);
            return 1;
        }
    }

    /** Each request sent and its reply printed; 1 if any got none. */
    private static int runByHand(LineExchange exchange, TypedRequests requests,
            double timeoutSeconds, Console console) throws IOException {
        int status = 0;
        byte[] request;
        while ((request = requests.next()) != null) {
            try {
                LineExchange.Reply reply = exchange.exchange(LineProtocol.encodeLine(request, false));
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
        return status;
    }
}
