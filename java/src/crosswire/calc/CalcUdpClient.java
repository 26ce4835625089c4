package crosswire.calc;

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
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The calculator's UDP client: {@code CalcUdpClient "+ 4 5" ...} sends each request tagged
 * with an ID, resends it after each timeout and prints the reply with that ID; without
 * requests it reads them at the prompt {@code calc> } until end of input or {@code bye}; with
 * {@code --json} it sends each hex line of stdin. Twin of python/crosswire/calc/udp_client.py.
 */
public final class CalcUdpClient {
    static final String USAGE = "usage: CalcUdpClient [--host HOST] [--port PORT]"
            + " [--timeout SECONDS] [--retries N] [request ...]\n"
            + "       CalcUdpClient --json [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " [--retries N] < hex-lines";
    static final String DEFAULT_HOST = "localhost";
    static final double DEFAULT_TIMEOUT_SECONDS = 1.0;
    static final int DEFAULT_RETRIES = 2;
    /** Random bytes in a session: 6 hex digits, leaving room in the 16-character ID for seq. */
    static final int SESSION_BYTES = 3;

    /** Where a request's outcome goes: events on the bench, text by hand. */
    private interface Report {
        void reply(int seq, CalcUdpExchange.Outcome outcome);

        void timeout(int seq, int attempts);

        void error(int seq, String detail);

        void stale(int seq, DatagramPacket datagram);
    }

    private CalcUdpClient() {
    }

    public static void main(String[] args) {
        Program.main("CalcUdpClient", USAGE, args, CalcUdpClient::run);
    }

    /** Sends each request, given, typed or (--json) in hex; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.TIMEOUT, Option.RETRIES, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (options.has(Option.JSON) && !options.positional().isEmpty()) {
            throw new UsageException("with --json the requests come from stdin, not arguments");
        }
        String host = options.get(Option.HOST, DEFAULT_HOST);
        int port = options.get(Option.PORT, CalcUdpServer.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        InetAddress server;
        try {
            server = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("CalcUdpClient: unknown host " + host);
            return 1;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            CalcUdpExchange exchange = new CalcUdpExchange(socket, server, port,
                    options.get(Option.TIMEOUT, DEFAULT_TIMEOUT_SECONDS),
                    options.get(Option.RETRIES, DEFAULT_RETRIES), newSession());
            if (options.has(Option.JSON)) {
                HexLines input = new HexLines(console.in());
                return sendAll(exchange, input::next, benchReport(new Events(console.out())));
            }
            TypedRequests requests = TypedRequests.from(options.positional(), console);
            return sendAll(exchange, requests::next, handReport(console.out()));
        } catch (IOException e) {
            // Opening the socket or reading stdin failed; the exchanges report their own errors.
            console.err().println("CalcUdpClient: " + e);
            return 1;
        }
    }

    /** 6 random hex digits: IDs differ between runs, not only between requests. */
    static String newSession() {
        byte[] random = new byte[SESSION_BYTES];
        new SecureRandom().nextBytes(random);
        return Hex.encode(random);
    }

    /** The next request; null at the end. */
    private interface Requests {
        byte[] next() throws IOException, UsageException;
    }

    /** Every request, one outcome each, in order; 1 if any got no reply. */
    private static int sendAll(CalcUdpExchange exchange, Requests requests, Report report)
            throws IOException, UsageException {
        int status = 0;
        byte[] request;
        for (int seq = 0; (request = requests.next()) != null; seq++) {
            final int current = seq;
            CalcUdpExchange.Outcome outcome;
            try {
                outcome = exchange.exchange(seq, request,
                        datagram -> report.stale(current, datagram));
            } catch (CalcUdpExchange.TooLongException | Calculator.BadRequestId e) {
                report.error(seq, e.getMessage());
                status = 1;
                continue;
            } catch (IOException e) {
                // For example no route to the host.
                report.error(seq, e.toString());
                status = 1;
                continue;
            }
            if (outcome.replied) {
                report.reply(seq, outcome);
            } else {
                report.timeout(seq, outcome.attempts);
                status = 1;
            }
        }
        return status;
    }

    private static Report benchReport(Events events) {
        return new Report() {
            @Override
            public void reply(int seq, CalcUdpExchange.Outcome outcome) {
                events.emit(JsonLine.event("reply").put("seq", seq)
                        .put("len", outcome.reply.length)
                        .put("hex", Hex.encode(outcome.reply))
                        .put("rtt_ms", outcome.rttMillis)
                        .put("attempts", outcome.attempts));
            }

            @Override
            public void timeout(int seq, int attempts) {
                events.emit(JsonLine.event("timeout").put("seq", seq).put("attempts", attempts));
            }

            @Override
            public void error(int seq, String detail) {
                events.emit(JsonLine.event("error").put("seq", seq).put("detail", detail));
            }

            @Override
            public void stale(int seq, DatagramPacket datagram) {
                events.emit(JsonLine.event("stale").put("seq", seq)
                        .put("len", datagram.getLength())
                        .put("peer", datagram.getAddress().getHostAddress() + ":"
                                + datagram.getPort()));
            }
        };
    }

    private static Report handReport(PrintStream out) {
        return new Report() {
            @Override
            public void reply(int seq, CalcUdpExchange.Outcome outcome) {
                out.println(new String(outcome.reply, StandardCharsets.UTF_8));
            }

            @Override
            public void timeout(int seq, int attempts) {
                out.println("No reply after " + attempts + " attempts");
            }

            @Override
            public void error(int seq, String detail) {
                out.println("Error: " + detail);
            }

            @Override
            public void stale(int seq, DatagramPacket datagram) {
                // Silent by hand, as in the Python client.
            }
        };
    }
}
