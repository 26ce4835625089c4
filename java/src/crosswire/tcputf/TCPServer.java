package crosswire.tcputf;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.net.TcpServer;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The lecture's TCP echo server: a thread per connection, each echoing every writeUTF string
 * its client sends until the client closes.
 */
public final class TCPServer implements TcpServer.Service {
    static final String USAGE = "usage: TCPServer [--host HOST] [--port PORT] [--json]"
            + " [--idle-timeout SECONDS] [--max-connections N]";
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0;
    static final int DEFAULT_MAX_CONNECTIONS = 1000;

    private final TcpServer server;

    private TCPServer(TcpServer server) {
        this.server = server;
    }

    public static void main(String[] args) {
        Program.main("TCPServer", USAGE, args, TCPServer::run);
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
                options.get(Option.PORT, TcpUtf.DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        return TcpServer.run(TcpServer.Settings.threaded("TCPServer", TcpUtf.EXAMPLE,
                options.has(Option.JSON),
                options.get(Option.IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS),
                options.get(Option.MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS)),
                address, console, TCPServer::new);
    }

    @Override
    public void serve(Socket socket) {
        new Connection(this, socket).run();
    }

    boolean stopping() {
        return server.stopping();
    }

    double idleTimeoutSeconds() {
        return server.idleTimeoutSeconds();
    }

    void reportReceived(Connection connection, String message) {
        if (server.json()) {
            server.emit(JsonLine.event("recv")
                    .put("peer", connection.peer())
                    .put("len", message.length())
                    .put("hex", Hex.encodeUtf16(message)));
        } else {
            server.say("Received from " + connection.socket().getRemoteSocketAddress()
                    + ": " + message);
        }
    }

    void reportError(Connection connection, String detail) {
        server.reportError(connection.socket(), detail);
    }
}
