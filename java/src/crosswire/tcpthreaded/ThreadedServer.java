package crosswire.tcpthreaded;

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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The lecture's multithreaded TCP server, in Java: a thread per connection, answering every
 * line with {@code Server message: <line>}. Unlike the lecture's, it answers whole lines, not
 * whatever one {@code recv} returned, and it caps its threads: a connection over
 * {@code --max-connections} is told {@code Server busy} and closed.
 */
public final class ThreadedServer implements TcpServer.Service {
    static final String USAGE = "usage: ThreadedServer [--host HOST] [--port PORT] [--json]"
            + " [--idle-timeout SECONDS] [--max-connections N]";
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0;
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    /** Bytes per read; lines are put together from as many reads as they take. */
    static final int RECV_SIZE = 65_536;

    private final TcpServer server;

    private ThreadedServer(TcpServer server) {
        this.server = server;
    }

    public static void main(String[] args) {
        Program.main("ThreadedServer", USAGE, args, ThreadedServer::run);
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
                options.get(Option.PORT, LineProtocol.DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        return TcpServer.run(TcpServer.Settings.threaded("ThreadedServer", LineProtocol.EXAMPLE,
                options.has(Option.JSON),
                options.get(Option.IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS),
                options.get(Option.MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS)),
                address, console, ThreadedServer::new);
    }

    @Override
    public void listening() {
        server.say("Socket is listening..");
    }

    /**
     * Answers each line as soon as it is whole, and an unterminated last line at the end of
     * the stream; a line that is too long or not UTF-8 ends the connection.
     */
    @Override
    public void serve(Socket socket) throws IOException {
        String peer = Sockets.peer(socket);
        server.say("Connected to: " + peer + " (connections: " + server.openConnections() + ")");
        InputStream in = socket.getInputStream();
        DeadlineOutputStream out = new DeadlineOutputStream(socket);
        long idleNanos = Sockets.nanos(server.idleTimeoutSeconds());
        LineDecoder decoder = new LineDecoder(LineProtocol.MAX_LINE);
        byte[] buffer = new byte[RECV_SIZE];
        int lineNumber = 0;
        try {
            while (true) {
                byte[] line = decoder.nextLine();
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
                lineNumber++;
                String why = LineProtocol.malformedUtf8(line);
                if (why != null) {
                    throw new BadLineException("line " + lineNumber + " (" + line.length
                            + " bytes) is not UTF-8: " + why);
                }
                server.emit(JsonLine.event("recv")
                        .put("peer", peer)
                        .put("len", line.length)
                        .put("hex", Hex.encode(line)));
                out.expireAt(System.nanoTime() + idleNanos);
                out.write(LineProtocol.withNewline(LineProtocol.replyTo(line)));
            }
        } catch (BadLineException e) {
            server.reportError(socket, e.getMessage() + "; connection closed");
        }
    }

    /**
     * Tells the client it was refused. The line is followed by a FIN and what the client has
     * already sent is thrown away before the close: closing with unread input sends a reset
     * instead, and some stacks (Windows) discard received data that was not yet read when a
     * reset arrives, the busy line with it.
     */
    @Override
    public String refuse(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(LineProtocol.BUSY);
        socket.shutdownOutput();
        InputStream in = socket.getInputStream();
        long waiting = in.available();
        if (waiting > 0) {
            in.skip(waiting);
        }
        return "told \"Server busy\" and closed";
    }
}
