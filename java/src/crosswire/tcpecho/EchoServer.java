package crosswire.tcpecho;

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
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The lecture's Python TCP echo server, in Java: one connection at a time, every byte read is
 * written back until the client closes. Unlike the lecture's, a connection that sends nothing
 * for {@code --idle-timeout} seconds (or stops reading its echo that long) is closed, so one
 * silent client cannot keep every other one waiting for ever.
 */
public final class EchoServer implements TcpServer.Service {
    static final String USAGE = "usage: EchoServer [--host HOST] [--port PORT] [--json]"
            + " [--idle-timeout SECONDS]";
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0;

    private final TcpServer server;

    private EchoServer(TcpServer server) {
        this.server = server;
    }

    public static void main(String[] args) {
        Program.main("EchoServer", USAGE, args, EchoServer::run);
    }

    /** Serves on {@code console} until its stop is requested; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO,
                Option.HOST, Option.PORT, Option.JSON, Option.IDLE_TIMEOUT);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        InetSocketAddress address = new InetSocketAddress(options.get(Option.HOST, "127.0.0.1"),
                options.get(Option.PORT, TcpEcho.DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        return TcpServer.run(TcpServer.Settings.iterative("EchoServer", TcpEcho.EXAMPLE,
                options.has(Option.JSON),
                options.get(Option.IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS)),
                address, console, EchoServer::new);
    }

    @Override
    public void listening() {
        server.say("waiting for a connection");
    }

    /** Echoes each chunk as it was read; the chunks are the network's, not the client's. */
    @Override
    public void serve(Socket socket) throws IOException {
        String peer = Sockets.peer(socket);
        server.say("Connected by " + peer);
        InputStream in = socket.getInputStream();
        DeadlineOutputStream out = new DeadlineOutputStream(socket);
        long idleNanos = Sockets.nanos(server.idleTimeoutSeconds());
        byte[] buffer = new byte[TcpEcho.RECV_SIZE];
        int count;
        while ((count = in.read(buffer)) >= 0) {
            server.emit(JsonLine.event("recv")
                    .put("peer", peer)
                    .put("len", count)
                    .put("hex", Hex.encode(buffer, 0, count)));
            out.expireAt(System.nanoTime() + idleNanos);
            out.write(buffer, 0, count);
        }
        server.say(peer + " closed the connection");
    }
}
