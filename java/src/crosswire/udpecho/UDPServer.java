package crosswire.udpecho;

import crosswire.bench.Console;
import crosswire.bench.Events;
import crosswire.bench.Hex;
import crosswire.bench.JsonLine;
import crosswire.bench.Option;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The lecture's UDP echo server: sends every datagram back to its sender. */
public final class UDPServer {
    static final String USAGE = "usage: UDPServer [--host HOST] [--port PORT] [--json]";

    private final DatagramSocket socket;
    private final boolean json;
    private final Console console;
    private final Events events;

    private UDPServer(DatagramSocket socket, boolean json, Console console) {
        this.socket = socket;
        this.json = json;
        this.console = console;
        this.events = new Events(console.out());
    }

    public static void main(String[] args) {
        Program.main("UDPServer", USAGE, args, UDPServer::run);
    }

    /** Serves on {@code console} until its stop is requested; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO, Option.HOST, Option.PORT, Option.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        if (!options.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + options.positional().get(0));
        }
        InetSocketAddress address = new InetSocketAddress(options.get(Option.HOST, "127.0.0.1"),
                options.get(Option.PORT, Datagrams.DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        try (DatagramSocket socket = new DatagramSocket(address)) {
            // Closing the socket wakes the blocked receive.
            console.stop().onRequest(socket::close);
            console.out().print("READY udp-echo " + socket.getLocalAddress().getHostAddress()
                    + ":" + socket.getLocalPort() + "\n");
            console.out().flush();
            new UDPServer(socket, options.has(Option.JSON), console).serve();
            return 0;
        } catch (IOException e) {
            console.err().println("UDPServer: cannot bind " + address.getHostString() + ":"
                    + address.getPort() + ": " + e.getMessage());
            return 1;
        }
    }

    /** Echoes datagrams until the socket is closed. */
    private void serve() {
        byte[] buffer = new byte[Datagrams.BUFFER_SIZE];
        while (!socket.isClosed()) {
            // A fresh packet per receive, so its length is the whole buffer every time.
            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(request);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    reportError(null, e);
                }
                continue;
            }
            reportRequest(request);
            try {
                socket.send(new DatagramPacket(request.getData(), request.getOffset(),
                        request.getLength(), request.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    reportError(Datagrams.peer(request), e);
                }
            }
        }
    }

    private void reportRequest(DatagramPacket request) {
        if (json) {
            events.emit(JsonLine.event("recv")
                    .put("peer", Datagrams.peer(request))
                    .put("len", request.getLength())
                    .put("hex", Hex.encode(request.getData(), request.getOffset(),
                            request.getLength())));
        } else {
            String text = new String(request.getData(), request.getOffset(), request.getLength(),
                    StandardCharsets.UTF_8);
            console.out().println("Request from " + request.getSocketAddress() + ": "
                    + request.getLength() + " bytes: " + text);
        }
    }

    private void reportError(String peer, IOException e) {
        if (json) {
            JsonLine event = JsonLine.event("error");
            if (peer != null) {
                event.put("peer", peer);
            }
            events.emit(event.put("detail", String.valueOf(e)));
        } else {
            console.err().println("IO error" + (peer != null ? " with " + peer : "") + ": " + e);
        }
    }
}
