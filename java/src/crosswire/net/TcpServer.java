package crosswire.net;

import crosswire.bench.Console;
import crosswire.bench.Events;
import crosswire.bench.JsonLine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * The shell every Java TCP server shares, the twin of {@code python/crosswire/tcpserver.py}:
 * bind and listen, print the readiness line, accept, and hand each connection to a
 * {@link Service}, on a thread of its own (capped by {@code --max-connections}) or, for an
 * iterative server, in the accepting thread. Every connection reads with an idle timeout; the
 * console's stop (SIGTERM, SIGINT, or the harness) closes the listener and every open connection.
 */
public final class TcpServer {
    /** Pending connections the kernel may queue: the default 50 drops a classroom's burst. */
    public static final int BACKLOG = 1024;
    /** How long to wait after accept fails (say, out of file descriptors) before trying again. */
    static final long ACCEPT_RETRY_MILLIS = 100;

    /** What a server does with each connection it accepts. */
    public interface Service {
        /**
         * Serves one connection until it ends. The server closes the socket afterwards and
         * reports what escapes: a read timeout as the idle timeout, a {@link
         * StalledWriteException} as itself, any other I/O error unless the server is stopping.
         */
        void serve(Socket socket) throws IOException;

        /**
         * Answers a connection over the cap before the server closes it, and says how, for the
         * error event; by default it is told nothing.
         */
        default String refuse(Socket socket) throws IOException {
            return "this one is closed unserved";
        }

        /** Called once the readiness line is out, before the first accept. */
        default void listening() {
        }
    }

    /** How a server runs: its names, its output, its timeouts, its cap. */
    public static final class Settings {
        final String program;
        final String example;
        final boolean json;
        final double idleTimeoutSeconds;
        final int maxConnections;
        final boolean threaded;

        private Settings(String program, String example, boolean json, double idleTimeoutSeconds,
                int maxConnections, boolean threaded) {
            this.program = program;
            this.example = example;
            this.json = json;
            this.idleTimeoutSeconds = idleTimeoutSeconds;
            this.maxConnections = maxConnections;
            this.threaded = threaded;
        }

        /** A thread per connection, at most {@code maxConnections} at once. */
        public static Settings threaded(String program, String example, boolean json,
                double idleTimeoutSeconds, int maxConnections) {
            return new Settings(program, example, json, idleTimeoutSeconds, maxConnections, true);
        }

        /** One connection at a time, served in the accepting thread; the others wait queued. */
        public static Settings iterative(String program, String example, boolean json,
                double idleTimeoutSeconds) {
            return new Settings(program, example, json, idleTimeoutSeconds, 1, false);
        }
    }

    private final ServerSocket listener;
    private final Settings settings;
    /** One permit per connection that may be served at once. */
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Console console;
    private final Events events;
    private volatile boolean stopping;

    private TcpServer(ServerSocket listener, Settings settings, Console console) {
        this.listener = listener;
        this.settings = settings;
        this.console = console;
        this.events = new Events(console.out());
        this.slots = new Semaphore(settings.maxConnections);
    }

    /**
     * Binds {@code address}, prints the readiness line and serves with the service {@code
     * services} makes for this server, until the console's stop closes it. Returns the exit
     * status: 1 if the address cannot be bound.
     */
    public static int run(Settings settings, InetSocketAddress address, Console console,
            Function<TcpServer, Service> services) {
        try (ServerSocket listener = new ServerSocket()) {
            try {
                listener.bind(address, BACKLOG);
            } catch (IOException e) {
                console.err().println(settings.program + ": cannot listen on "
                        + address.getHostString() + ":" + address.getPort() + ": "
                        + e.getMessage());
                return 1;
            }
            TcpServer server = new TcpServer(listener, settings, console);
            Service service = services.apply(server);
            // Closing the sockets wakes every blocked accept and read, so the server ends at once.
            console.stop().onRequest(server::stop);
            console.out().print("READY " + settings.example + " "
                    + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort()
                    + "\n");
            console.out().flush();
            service.listening();
            server.serve(service);
            return 0;
        } catch (IOException e) {
            console.err().println(settings.program + ": " + e);
            return 1;
        }
    }

    /** Accepts connections until the listener is closed; one failed accept does not end it. */
    private void serve(Service service) {
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
            start(service, socket);
        }
    }

    /** Serves {@code socket}, or refuses and closes it if every slot is taken. */
    private void start(Service service, Socket socket) {
        if (!slots.tryAcquire()) {
            String told;
            try {
                told = service.refuse(socket);
            } catch (IOException e) {
                told = "telling it so failed (" + e + ")";
            }
            reportError(socket, "too many connections: " + settings.maxConnections
                    + " are open (--max-connections); " + told);
            Sockets.closeQuietly(socket);
            return;
        }
        boolean handedOver = false;
        try {
            socket.setSoTimeout(Sockets.millis(settings.idleTimeoutSeconds));
            open.add(socket);
            if (stopping) {
                // The stop may already have closed the others; this one was too late.
                return;
            }
            Runnable task = () -> runConnection(service, socket);
            if (settings.threaded) {
                Thread thread = new Thread(task, settings.example + " " + Sockets.peer(socket));
                thread.setDaemon(true);
                thread.start();
                handedOver = true;
            } else {
                handedOver = true;
                task.run();
            }
        } catch (IOException e) {
            reportError(socket, "cannot serve the connection: " + e);
        } finally {
            if (!handedOver) {
                connectionEnded(socket);
                Sockets.closeQuietly(socket);
            }
        }
    }

    /** One connection from start to end; its slot is given back exactly once, here. */
    private void runConnection(Service service, Socket socket) {
        try (Socket closing = socket) {
            service.serve(closing);
        } catch (StalledWriteException e) {
            reportError(socket, e.getMessage() + "; connection closed");
        } catch (SocketTimeoutException e) {
            reportError(socket, "idle timeout: no data received for "
                    + Sockets.seconds(settings.idleTimeoutSeconds) + "; connection closed");
        } catch (IOException e) {
            // A reset by the peer, or the socket closed by the stop.
            if (!stopping) {
                reportError(socket, "I/O error: " + e + "; connection closed");
            }
        } finally {
            connectionEnded(socket);
        }
    }

    private void connectionEnded(Socket socket) {
        open.remove(socket);
        slots.release();
    }

    /** The stop: closes the listener and every open connection. */
    private void stop() {
        stopping = true;
        Sockets.closeQuietly(listener);
        for (Socket socket : open) {
            Sockets.closeQuietly(socket);
        }
    }

    /** True once the stop has begun: I/O errors are then its doing. */
    public boolean stopping() {
        return stopping;
    }

    public boolean json() {
        return settings.json;
    }

    /** Where the server's services read and print. */
    public Console console() {
        return console;
    }

    public double idleTimeoutSeconds() {
        return settings.idleTimeoutSeconds;
    }

    /** How many connections are being served now. */
    public int openConnections() {
        return open.size();
    }

    /** Prints a bench event; only in {@code --json} mode. */
    public void emit(JsonLine event) {
        if (settings.json) {
            events.emit(event);
        }
    }

    /** Prints a line for a person; only by hand. */
    public void say(String text) {
        if (!settings.json) {
            console.out().println(text);
        }
    }

    /**
     * Reports a problem with {@code connection} (null: with no connection in particular): an
     * {@code error} event, or by hand a line on stderr.
     */
    public void reportError(Socket connection, String detail) {
        if (settings.json) {
            JsonLine event = JsonLine.event("error");
            if (connection != null) {
                event.put("peer", Sockets.peer(connection));
            }
            events.emit(event.put("detail", detail));
        } else {
            console.err().println(settings.program + ": "
                    + (connection != null ? connection.getRemoteSocketAddress() + ": " : "")
                    + detail);
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
