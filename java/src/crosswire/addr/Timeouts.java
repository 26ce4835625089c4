package crosswire.addr;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.net.Sockets;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A client that gives up: it asks a server that never answers, and stops waiting after
 * {@code --timeout}.
 * <pre>
 * java -cp crosswire.jar crosswire.addr.Timeouts tcp|udp --port P [--host H] [--timeout S] [--json]
 * </pre>
 * TCP: connect (within the timeout), send one line, wait for a reply. UDP: send one datagram,
 * wait for a reply. {@code setSoTimeout} bounds each wait; the client measures the wait itself
 * ({@link System#nanoTime}, from just before the blocking call to the exception) and reports it.
 * Twin of Python's {@code python -m crosswire.addr.timeouts}. Exit status: 0 when a reply came
 * after all, 1 when the client gave up (or the server closed or refused), 2 on a usage error.
 */
public final class Timeouts {
    static final String USAGE = "usage: Timeouts tcp|udp --port PORT [--host HOST]"
            + " [--timeout SECONDS] [--json]";
    static final byte[] REQUEST = "is anybody there?\n".getBytes(StandardCharsets.US_ASCII);
    static final int RECEIVE_BUFFER = 65_535;
    static final String VIA = "setSoTimeout";

    private Timeouts() {
    }

    public static void main(String[] args) {
        Program.main("Timeouts", USAGE, args, Timeouts::run);
    }

    /** Asks the server once and reports how the wait ended; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                AddrArgs.JSON, AddrArgs.HOST, AddrArgs.PORT, AddrArgs.TIMEOUT);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() != 1 || !List.of("tcp", "udp").contains(positional.get(0))) {
            throw new UsageException("give the transport: tcp or udp");
        }
        Integer port = options.get(AddrArgs.PORT);
        if (port == null) {
            throw new UsageException("--port is required");
        }
        Outcome outcome = new Outcome(positional.get(0), options.get(AddrArgs.HOST, "127.0.0.1"),
                port, options.get(AddrArgs.TIMEOUT, 1.0));
        if (outcome.transport.equals("tcp")) {
            outcome.tcp();
        } else {
            outcome.udp();
        }
        String line = options.has(AddrArgs.JSON) ? outcome.toJson().toString() : outcome.describe();
        console.out().print(line + "\n");
        console.out().flush();
        return outcome.event.equals("reply") ? 0 : 1;
    }

    /** One exchange with the server: what happened, and after how long. */
    static final class Outcome {
        final String transport;
        final String host;
        final int port;
        final double timeoutSeconds;
        String event;
        String phase = "connect";
        String detail;
        byte[] reply;
        double elapsedSeconds;
        private long started;

        Outcome(String transport, String host, int port, double timeoutSeconds) {
            this.transport = transport;
            this.host = host;
            this.port = port;
            this.timeoutSeconds = timeoutSeconds;
        }

        void tcp() {
            started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), Sockets.millis(timeoutSeconds));
                socket.setSoTimeout(Sockets.millis(timeoutSeconds));
                socket.getOutputStream().write(REQUEST);
                byte[] buffer = new byte[RECEIVE_BUFFER];
                InputStream in = socket.getInputStream();
                phase = "read";
                started = System.nanoTime();
                int n = in.read(buffer);
                stop(n < 0 ? "closed" : "reply");
                reply = n < 0 ? null : Arrays.copyOf(buffer, n);
            } catch (SocketTimeoutException e) {
                stop("timeout");
            } catch (IOException e) {
                event = "error";
                detail = e.toString();
            }
        }

        void udp() {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.setSoTimeout(Sockets.millis(timeoutSeconds));
                socket.send(new DatagramPacket(REQUEST, REQUEST.length,
                        InetAddress.getByName(host), port));
                DatagramPacket packet =
                        new DatagramPacket(new byte[RECEIVE_BUFFER], RECEIVE_BUFFER);
                phase = "read";
                started = System.nanoTime();
                socket.receive(packet);
                stop("reply");
                reply = Arrays.copyOf(packet.getData(), packet.getLength());
            } catch (SocketTimeoutException e) {
                stop("timeout");
            } catch (IOException e) {
                event = "error";
                detail = e.toString();
            }
        }

        private void stop(String what) {
            elapsedSeconds = Math.round((System.nanoTime() - started) / 1e3) / 1e6;
            event = what;
        }

        Json toJson() {
            Json json = Json.event(event).put("transport", transport)
                    .put("peer", host + ":" + port).put("timeout_s", timeoutSeconds)
                    .put("via", VIA);
            switch (event) {
                case "timeout":
                    return json.put("phase", phase).put("elapsed_s", elapsedSeconds);
                case "error":
                    return json.put("phase", phase).put("detail", detail);
                case "closed":
                    return json.put("elapsed_s", elapsedSeconds);
                default:
                    return json.put("len", reply.length).put("hex", Hex.encode(reply))
                            .put("elapsed_s", elapsedSeconds);
            }
        }

        /** The readable line, the same as the Python twin's. */
        String describe() {
            String head = transport + " " + host + ":" + port;
            String limit = timeoutSeconds + " s (" + VIA + ")";
            switch (event) {
                case "timeout":
                    return head + ": no " + (phase.equals("connect") ? "connection" : "reply")
                            + " within " + limit + ": gave up after " + seconds() + " s";
                case "error":
                    return head + ": " + phase + " failed: " + detail;
                case "closed":
                    return head + ": the server closed the connection after " + seconds()
                            + " s, without a reply";
                default:
                    return head + ": a reply of " + reply.length + " bytes after " + seconds()
                            + " s (timeout " + limit + ")";
            }
        }

        private String seconds() {
            return String.format(Locale.ROOT, "%.3f", elapsedSeconds);
        }
    }
}
