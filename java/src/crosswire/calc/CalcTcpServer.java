package crosswire.calc;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.net.DeadlineOutputStream;
import crosswire.net.Sockets;
import crosswire.net.TcpServer;
import crosswire.tcpthreaded.BadLineException;
import crosswire.tcpthreaded.LineDecoder;
import crosswire.tcpthreaded.LineProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The calculator over TCP (docs/protocols/calc.md): one request line in, one reply line out,
 * many per connection, a thread per connection (capped). The arithmetic is {@link Calculator},
 * which parses the request and never evaluates it as code. Twin of
 * python/crosswire/calc/tcp_server.py.
 */
public final class CalcTcpServer implements TcpServer.Service {
    static final String USAGE = "usage: CalcTcpServer [--host HOST] [--port PORT] [--json]"
            + " [--idle-timeout SECONDS] [--max-connections N]";
    static final String EXAMPLE = "calc-tcp";
    static final int DEFAULT_PORT = 7000;
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0;
    static final int DEFAULT_MAX_CONNECTIONS = 200;
    /** Bytes per read; lines are put together from as many reads as they take. */
    static final int RECV_SIZE = 65_536;
    /** The reply to a line too long to find its end, sent before the connection is closed. */
    static final byte[] TOO_LONG_LINE = LineProtocol.withNewline(
            CalcReply.error(Calculator.tooLong()).text().getBytes(StandardCharsets.US_ASCII));

    private final TcpServer server;

    private CalcTcpServer(TcpServer server) {
        this.server = server;
    }

    public static void main(String[] args) {
        Program.main("CalcTcpServer", USAGE, args, CalcTcpServer::run);
    }

    /** Serves on {@code console} until its stop is requested; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.JSON, Option.IDLE_TIMEOUT, Option.MAX_CONNECTIONS);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        InetSocketAddress address = new InetSocketAddress(options.get(Option.HOST, "127.0.0.1"),
                options.get(Option.PORT, DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        return TcpServer.run(TcpServer.Settings.threaded("CalcTcpServer", EXAMPLE,
                options.has(Option.JSON),
                options.get(Option.IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS),
                options.get(Option.MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS)),
                address, console, CalcTcpServer::new);
    }

    /**
     * Answers each line as soon as it is whole, and an unterminated last line at the end of the
     * stream. A line longer than {@link LineProtocol#MAX_LINE} is answered {@code ERR TOO_LONG}
     * and ends the connection: what follows it cannot be trusted to start a new line.
     */
    @Override
    public void serve(Socket socket) throws IOException {
        String peer = Sockets.peer(socket);
        InputStream in = socket.getInputStream();
        DeadlineOutputStream out = new DeadlineOutputStream(socket);
        long idleNanos = Sockets.nanos(server.idleTimeoutSeconds());
        LineDecoder decoder = new LineDecoder(LineProtocol.MAX_LINE);
        byte[] buffer = new byte[RECV_SIZE];
        while (true) {
            byte[] line;
            try {
                line = decoder.nextLine();
            } catch (BadLineException e) {
                out.expireAt(System.nanoTime() + idleNanos);
                out.write(TOO_LONG_LINE);
                server.reportError(socket, e.getMessage() + "; connection closed");
                return;
            }
            if (line == null) {
                if (decoder.endOfStream()) {
                    return;
                }
                int count = in.read(buffer);
                if (count < 0) {
                    decoder.receiveEnd();
                } else {
                    decoder.receiveData(buffer, 0, count);
                }
                continue;
            }
            server.emit(JsonLine.event("recv")
                    .put("peer", peer)
                    .put("len", line.length)
                    .put("hex", Hex.encode(line)));
            byte[] reply = Calculator.handleLineBytes(line);
            server.say(peer + ": " + new String(line, StandardCharsets.UTF_8) + " -> "
                    + new String(reply, StandardCharsets.UTF_8));
            out.expireAt(System.nanoTime() + idleNanos);
            out.write(LineProtocol.withNewline(reply));
        }
    }
}
