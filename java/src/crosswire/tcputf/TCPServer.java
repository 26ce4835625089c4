package crosswire.tcputf;

import crosswire.bench.BenchArgs;
import crosswire.bench.BenchArgs.Option;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.UsageException;
import crosswire.net.TcpServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumSet;

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
        try {
            System.exit(run(args));
        } catch (UsageException e) {
            System.err.println("TCPServer: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    static int run(String[] args) throws UsageException {
        BenchArgs options = BenchArgs.parse(args, EnumSet.of(Option.HOST, Option.PORT,
                Option.JSON, Option.IDLE_TIMEOUT, Option.MAX_CONNECTIONS));
        if (options.helpRequested()) {
            System.out.println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        InetSocketAddress address = new InetSocketAddress(
                options.host("127.0.0.1"), options.port(TcpUtf.DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        return TcpServer.run(TcpServer.Settings.threaded("TCPServer", TcpUtf.EXAMPLE,
                options.json(), options.idleTimeoutSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
                options.maxConnections(DEFAULT_MAX_CONNECTIONS)), address, TCPServer::new);
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
            System.out.println("Received from " + connection.socket().getRemoteSocketAddress()
                    + ": " + message);
        }
    }

    void reportError(Connection connection, String detail) {
        server.reportError(connection.socket(), detail);
    }
}
