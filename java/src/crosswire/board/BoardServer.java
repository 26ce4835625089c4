package crosswire.board;

import crosswire.bench.Console;
import crosswire.bench.JsonLine;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.multicast.GroupSockets;
import crosswire.multicast.MulticastOptions;
import crosswire.net.DeadlineOutputStream;
import crosswire.net.Sockets;
import crosswire.net.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The message board server (docs/protocols/board.md): boards and messages over TCP, a thread
 * per connection (the {@link TcpServer} shell), each board's messages and a heartbeat multicast
 * to its group, everything stored in a journal ({@link BoardStore}) before it is answered.
 * Twin of {@code python/crosswire/board/server.py}.
 */
public final class BoardServer implements TcpServer.Service {
    static final String USAGE = "usage: BoardServer [--host HOST] [--port PORT] [--store PATH]"
            + " [--group-base ADDR] [--board-port-base PORT] [--iface ADDR] [--ttl N]"
            + " [--heartbeat SECONDS] [--idle-timeout SECONDS] [--max-connections N] [--json]";
    static final String EXAMPLE = "board";
    static final int DEFAULT_PORT = 7500;
    static final String DEFAULT_STORE = "board.journal";
    static final Inet4Address DEFAULT_GROUP_BASE = MulticastOptions.address("239.192.0.1");
    static final int DEFAULT_BOARD_PORT_BASE = 7600;
    static final double DEFAULT_HEARTBEAT_SECONDS = 1.0;
    static final double DEFAULT_IDLE_TIMEOUT_SECONDS = 300.0;
    static final int DEFAULT_MAX_CONNECTIONS = 200;
    /** Bytes per read; bodies are put together from as many reads as they take. */
    static final int RECV_SIZE = 65_536;
    /**
     * After a framing error, how long the server keeps reading (and discarding) before it
     * closes, so its ERROR is not lost to the reset that closing over unread bytes sends.
     */
    static final double LINGER_SECONDS = 0.5;

    private final TcpServer server;
    private final BoardStore store;
    private final MulticastSocket multicast;
    private final ScheduledExecutorService heartbeat;
    private final double heartbeatSeconds;

    private BoardServer(TcpServer server, BoardStore store, MulticastSocket multicast,
            ScheduledExecutorService heartbeat, double heartbeatSeconds) {
        this.server = server;
        this.store = store;
        this.multicast = multicast;
        this.heartbeat = heartbeat;
        this.heartbeatSeconds = heartbeatSeconds;
    }

    public static void main(String[] args) {
        Program.main("BoardServer", USAGE, args, BoardServer::run);
    }

    /** Serves on {@code console} until its stop is requested; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                BoardOptions.HOST, BoardOptions.PORT, BoardOptions.STORE, BoardOptions.GROUP_BASE,
                BoardOptions.BOARD_PORT_BASE, BoardOptions.IFACE, BoardOptions.TTL,
                BoardOptions.HEARTBEAT, BoardOptions.IDLE_TIMEOUT, BoardOptions.MAX_CONNECTIONS,
                BoardOptions.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        InetSocketAddress address = new InetSocketAddress(
                options.get(BoardOptions.HOST, "127.0.0.1"),
                options.get(BoardOptions.PORT, DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        Path path = options.get(BoardOptions.STORE, Path.of(DEFAULT_STORE));
        Inet4Address iface = options.get(BoardOptions.IFACE, MulticastOptions.ANY_INTERFACE);
        BoardStore store;
        try {
            // Notes go to stderr in both modes: stdout holds the readiness line first.
            store = BoardStore.open(path, options.get(BoardOptions.GROUP_BASE, DEFAULT_GROUP_BASE),
                    options.get(BoardOptions.BOARD_PORT_BASE, DEFAULT_BOARD_PORT_BASE),
                    note -> console.err().println("BoardServer: " + note));
        } catch (IOException e) {
            console.err().println("BoardServer: cannot open the store " + path + ": "
                    + e.getMessage());
            return 1;
        }
        MulticastSocket multicast;
        try {
            multicast = GroupSockets.sender(options.get(BoardOptions.TTL, 1), iface);
        } catch (IOException e) {
            console.err().println("BoardServer: cannot set up multicast on "
                    + iface.getHostAddress() + ": " + e.getMessage());
            Sockets.closeQuietly(store);
            return 1;
        }
        double heartbeatSeconds = options.get(BoardOptions.HEARTBEAT, DEFAULT_HEARTBEAT_SECONDS);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "board-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        try {
            return TcpServer.run(TcpServer.Settings.threaded("BoardServer", EXAMPLE,
                    options.has(BoardOptions.JSON),
                    options.get(BoardOptions.IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT_SECONDS),
                    options.get(BoardOptions.MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS)), address,
                    console,
                    server -> new BoardServer(server, store, multicast, heartbeat,
                            heartbeatSeconds));
        } finally {
            // Run in-process, the JVM lives on: end the heartbeat before closing what it uses,
            // and leave no socket or journal open. A connection thread still finishing a
            // request then fails on the closed journal, which the stopping server does not
            // report.
            stopHeartbeat(heartbeat);
            multicast.close();
            Sockets.closeQuietly(store);
        }
    }

    /** Cancels the next beats and waits (briefly) for one in progress to finish. */
    private static void stopHeartbeat(ScheduledExecutorService heartbeat) {
        heartbeat.shutdown();
        try {
            heartbeat.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the heartbeat once the readiness line is out. */
    @Override
    public void listening() {
        long periodNanos = Sockets.nanos(heartbeatSeconds);
        heartbeat.scheduleAtFixedRate(this::beat, 0, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** One HEARTBEAT per board; a failure is reported and the next beat tries again. */
    private void beat() {
        for (BoardStore.Beat beat : store.heartbeats()) {
            announce(beat.group(), beat.port(), beat.heartbeat());
        }
    }

    /** Sends {@code datagram} to a board's group; never blocks for long, never throws. */
    private void announce(String group, int port, BoardDatagram datagram) {
        try {
            byte[] bytes = BoardMessages.encodeDatagram(datagram);
            multicast.send(new DatagramPacket(bytes, bytes.length,
                    InetAddress.getByName(group), port));
        } catch (BoardProtocolException | IOException e) {
            if (!multicast.isClosed() && !server.stopping()) {
                server.reportError(null, "multicast to " + group + ":" + port + " failed: " + e);
            }
        }
    }

    /**
     * Answers each whole body in order, many per connection. A malformed body gets an ERROR
     * and the connection goes on; a framing error gets an ERROR and closes it.
     */
    @Override
    public void serve(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        DeadlineOutputStream out = new DeadlineOutputStream(socket);
        long idleNanos = Sockets.nanos(server.idleTimeoutSeconds());
        BoardFrameDecoder decoder = new BoardFrameDecoder();
        byte[] buffer = new byte[RECV_SIZE];
        while (true) {
            byte[] body;
            try {
                body = decoder.nextBody();
            } catch (FramingException e) {
                server.reportError(socket, e.getMessage() + "; connection closed");
                if (!e.truncated()) {
                    out.expireAt(System.nanoTime() + idleNanos);
                    send(out, new BoardReply.Error(0, BoardProtocol.BAD_REQUEST,
                            e.getMessage()));
                    linger(socket, in, buffer);
                }
                return;
            }
            if (body == null) {
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
            BoardReply reply = answer(socket, body);
            out.expireAt(System.nanoTime() + idleNanos);
            send(out, reply);
        }
    }

    /** The reply to one body, after storing what it asks to store. */
    private BoardReply answer(Socket socket, byte[] body) throws IOException {
        BoardRequest request;
        try {
            request = BoardMessages.decodeRequest(body);
        } catch (MalformedBodyException e) {
            server.reportError(socket, BoardProtocol.BAD_REQUEST + " " + e.getMessage());
            return new BoardReply.Error(e.requestId(), BoardProtocol.BAD_REQUEST, e.getMessage());
        }
        BoardReply reply;
        try {
            reply = store.handle(request, this::announce);
        } catch (IOException e) {
            // Not stored, so not answered: the client must not take it as accepted.
            throw new IOException("cannot write the journal, request left unanswered: "
                    + e.getMessage(), e);
        }
        if (reply instanceof BoardReply.Created created) {
            server.emit(JsonLine.event("created").put("topic", created.topic())
                    .put("group", created.group()).put("port", created.port()));
            server.say("created board " + created.topic() + ": group " + created.group()
                    + " port " + created.port());
        } else if (reply instanceof BoardReply.Posted posted) {
            server.emit(JsonLine.event("posted").put("topic", posted.topic())
                    .put("seq", posted.seq()));
            server.say("posted " + posted.topic() + " #" + posted.seq());
        } else if (reply instanceof BoardReply.Error error) {
            server.reportError(socket, error.code() + " " + error.message());
        }
        return reply;
    }

    private static void send(DeadlineOutputStream out, BoardReply reply) throws IOException {
        try {
            out.write(BoardMessages.encodeReply(reply));
        } catch (UnencodableException e) {
            // Every reply is built within the limits; one that is not is a bug here.
            throw new IllegalStateException("cannot encode " + reply + ": " + e.getMessage(), e);
        }
    }

    /** Stops sending, then reads and drops what the client still sends, briefly. */
    private static void linger(Socket socket, InputStream in, byte[] buffer) {
        try {
            socket.shutdownOutput();
            long deadline = System.nanoTime() + Sockets.nanos(LINGER_SECONDS);
            long drained = 0;
            while (drained <= BoardProtocol.MAX_BODY) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int count = in.read(buffer);
                if (count < 0) {
                    return;
                }
                drained += count;
            }
        } catch (IOException e) {
            // A timeout, a reset, or closed: the ERROR has had its chance, so close now.
        }
    }
}
