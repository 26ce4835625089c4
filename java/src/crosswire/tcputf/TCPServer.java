package crosswire.tcputf;

import crosswire.bench.BenchArgs;
import crosswire.bench.BenchArgs.Option;
import crosswire.bench.Events;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.UsageException;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The lecture's TCP echo server: a thread per connection, each echoing every writeUTF string
 * its client sends until the client closes.
 */
public final class TCPServer {
    static final String USAGE = "usage: TCPServer [--host HOST] [--port PORT] [--json]"
            + " [--idle-timeout SECONDS] [--max-connections N]";
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 30.0;
    /** Pending connections the kernel may queue: the default 50 drops a classroom's burst. */
    static final int BACKLOG = 1024;
    static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** How long to wait after accept fails (say, out of file descriptors) before trying again. */
    static final long ACCEPT_RETRY_MILLIS = 100;

    private final ServerSocket listener;
    private final boolean json;
    private final double idleTimeoutSeconds;
    private final int maxConnections;
    /** One permit per connection that may be served at once. */
    private final Semaphore slots;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Events events = Events.toStdout();
    private volatile boolean stopping;

    private TCPServer(ServerSocket listener, boolean json, double idleTimeoutSeconds,
            int maxConnections) {
        this.listener = listener;
        this.json = json;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.maxConnections = maxConnections;
        this.slots = new Semaphore(maxConnections);
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
        try (ServerSocket listener = new ServerSocket()) {
            try {
                listener.bind(address, BACKLOG);
            } catch (IOException e) {
                System.err.println("TCPServer: cannot listen on " + address.getHostString() + ":"
                        + address.getPort() + ": " + e.getMessage());
                return 1;
            }
            TCPServer server = new TCPServer(listener, options.json(),
                    options.idleTimeoutSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
                    options.maxConnections(DEFAULT_MAX_CONNECTIONS));
            // SIGTERM and SIGINT run shutdown hooks; closing the sockets wakes every blocked
            // accept and read, so the JVM exits at once.
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "tcp-utf-stop"));
            System.out.print("READY " + TcpUtf.EXAMPLE + " "
                    + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort()
                    + "\n");
            System.out.flush();
            server.serve();
            return 0;
        } catch (IOException e) {
            System.err.println("TCPServer: " + e);
            return 1;
        }
    }

    /** Accepts connections until the listener is closed; one failed accept does not end it. */
    private void serve() {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (stopping || listener.isClosed()) {
                    return;
                }
                reportError(null, "accept failed: " + e);
                pause(ACCEPT_RETRY_MILLIS);
                continue;
            }
            start(new Connection(this, socket));
        }
    }

    /** Serves {@code connection} on a thread of its own, or closes it if every slot is taken. */
    private void start(Connection connection) {
        Socket socket = connection.socket();
        if (!slots.tryAcquire()) {
            reportError(connection, "too many connections: " + maxConnections
                    + " are open (--max-connections); this one is closed unserved");
            closeQuietly(socket);
            return;
        }
        boolean started = false;
        try {
            socket.setSoTimeout(TcpUtf.millis(idleTimeoutSeconds));
            open.add(connection);
            if (stopping) {
                // The shutdown hook may already have closed the others; this one was too late.
                return;
            }
            Thread thread = new Thread(connection, "tcp-utf " + connection.peer());
            thread.setDaemon(true);
            thread.start();
            started = true;
        } catch (IOException e) {
            reportError(connection, "cannot serve the connection: " + e);
        } finally {
            if (!started) {
                connectionEnded(connection);
                closeQuietly(socket);
            }
        }
    }

    /**
     * Gives back the slot of a connection that got one: called exactly once for each, by its
     * thread as it ends, or by {@link #start} if the thread never started.
     */
    void connectionEnded(Connection connection) {
        open.remove(connection);
        slots.release();
    }

    /** The shutdown hook: closes the listener and every open connection. */
    private void stop() {
        stopping = true;
        closeQuietly(listener);
        for (Connection connection : open) {
            closeQuietly(connection.socket());
        }
    }

    boolean stopping() {
        return stopping;
    }

    double idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    void reportReceived(Connection connection, String message) {
        if (json) {
            events.emit(JsonLine.event("recv")
                    .put("peer", connection.peer())
                    .put("len", message.length())
                    .put("hex", Hex.encodeUtf16(message)));
        } else {
            System.out.println("Received from " + connection.socket().getRemoteSocketAddress()
                    + ": " + message);
        }
    }

    void reportError(Connection connection, String detail) {
        if (json) {
            JsonLine event = JsonLine.event("error");
            if (connection != null) {
                event.put("peer", connection.peer());
            }
            events.emit(event.put("detail", detail));
        } else {
            System.err.println("TCPServer: "
                    + (connection != null ? connection.socket().getRemoteSocketAddress() + ": "
                            : "")
                    + detail);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it; there is no one to tell.
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
