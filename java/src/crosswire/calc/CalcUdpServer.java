package crosswire.calc;

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
import java.util.Arrays;

/**
 * The calculator over UDP (docs/protocols/calc.md): one {@code ID OP A B} datagram in, one
 * {@code ID OK r} / {@code ID ERR ...} datagram back to its sender. The ID lets a client that
 * resent a request match whichever reply comes back. Twin of
 * python/crosswire/calc/udp_server.py.
 */
public final class CalcUdpServer {
    static final String USAGE = "usage: CalcUdpServer [--host HOST] [--port PORT] [--json]";
    static final String EXAMPLE = "calc-udp";
    static final int DEFAULT_PORT = 7001;
    /** The largest UDP datagram, so a receive buffer this big never truncates one. */
    static final int RECEIVE_BUFFER = 65_535;

    private final DatagramSocket socket;
    private final boolean json;
    private final Console console;
    private final Events events;

    private CalcUdpServer(DatagramSocket socket, boolean json, Console console) {
        this.socket = socket;
        this.json = json;
        this.console = console;
        this.events = new Events(console.out());
    }

    public static void main(String[] args) {
        Program.main("CalcUdpServer", USAGE, args, CalcUdpServer::run);
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
                options.get(Option.PORT, DEFAULT_PORT));
        if (address.isUnresolved()) {
            throw new UsageException("cannot resolve host " + address.getHostString());
        }
        DatagramSocket socket;
        try {
            socket = new DatagramSocket(address);
        } catch (IOException e) {
            console.err().println("CalcUdpServer: cannot listen on " + address.getHostString()
                    + ":" + address.getPort() + ": " + e.getMessage());
            return 1;
        }
        try (DatagramSocket serving = socket) {
            // Closing the socket wakes the blocked receive.
            console.stop().onRequest(serving::close);
            console.out().print("READY " + EXAMPLE + " "
                    + serving.getLocalAddress().getHostAddress() + ":" + serving.getLocalPort()
                    + "\n");
            console.out().flush();
            new CalcUdpServer(serving, options.has(Option.JSON), console).serve();
            return 0;
        }
    }

    /** Answers datagrams until the socket is closed; a failed receive or send is reported. */
    private void serve() {
        byte[] buffer = new byte[RECEIVE_BUFFER];
        while (!socket.isClosed()) {
            // A fresh packet per receive, so its length is the whole buffer every time.
            DatagramPacket request = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(request);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    reportError(null, "receive failed: " + e);
                }
                continue;
            }
            String peer = request.getAddress().getHostAddress() + ":" + request.getPort();
            byte[] data = Arrays.copyOfRange(request.getData(), request.getOffset(),
                    request.getOffset() + request.getLength());
            if (json) {
                events.emit(JsonLine.event("recv").put("peer", peer).put("len", data.length)
                        .put("hex", Hex.encode(data)));
            }
            byte[] reply = Calculator.handleDatagram(data);
            if (!json) {
                console.out().println(peer + ": " + new String(data, StandardCharsets.UTF_8)
                        + " -> " + new String(reply, StandardCharsets.UTF_8));
            }
            try {
                socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    reportError(peer, "reply failed: " + e);
                }
            }
        }
    }

    private void reportError(String peer, String detail) {
        if (json) {
            JsonLine event = JsonLine.event("error");
            if (peer != null) {
                event.put("peer", peer);
            }
            events.emit(event.put("detail", detail));
        } else {
            console.err().println("CalcUdpServer: " + (peer != null ? peer + ": " : "") + detail);
        }
    }
}
