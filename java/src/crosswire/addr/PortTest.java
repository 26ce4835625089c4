package crosswire.addr;

import crosswire.bench.Console;
import crosswire.bench.Hex;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.net.Sockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The lecture's "port test with telnet": a hand-typed HTTP/1.1 request over a raw TCP socket.
 * <pre>
 * java -cp crosswire.jar crosswire.addr.PortTest HOST PORT [PATH] [--timeout S] [--json]
 * </pre>
 * It sends exactly what the lecture types into telnet (plus {@code Connection: close}, so the
 * server ends the response by closing), reads until the server closes, and prints the response
 * as it came. Twin of Python's {@code python -m crosswire.addr.porttest}. Exit status: 0 when a
 * response with an HTTP status line came back, 1 otherwise, 2 on a usage error.
 */
public final class PortTest {
    static final String USAGE = "usage: PortTest HOST PORT [PATH] [--timeout SECONDS] [--json]";
    static final double DEFAULT_TIMEOUT_SECONDS = 5.0;

    private PortTest() {
    }

    public static void main(String[] args) {
        Program.main("PortTest", USAGE, args, PortTest::run);
    }

    /** The Host header's value: the port only when it is not HTTP's 80, IPv6 in brackets. */
    static String hostHeader(String host, int port) {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return port == 80 ? name : name + ":" + port;
    }

    /** The request lines as a person types them; CRLF ends every line (RFC 9112). */
    static String request(String host, int port, String path) {
        return "GET " + path + " HTTP/1.1\r\n" + "Host: " + hostHeader(host, port) + "\r\n"
                + "Connection: close\r\n" + "\r\n";
    }

    /** Sends the request and prints the response; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO, AddrArgs.JSON, AddrArgs.TIMEOUT);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() < 2 || positional.size() > 3) {
            throw new UsageException("give HOST PORT and, if you like, PATH");
        }
        String host = positional.get(0);
        int port = AddrArgs.port(positional.get(1));
        String path = positional.size() == 3 ? positional.get(2) : "/";
        String text = request(host, port, path);
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            throw new UsageException(
                    "the path and host must be ASCII (percent-encode anything else)");
        }
        byte[] request = text.getBytes(StandardCharsets.US_ASCII);
        double timeoutSeconds = options.get(AddrArgs.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        PrintStream out = console.out();
        if (options.has(AddrArgs.JSON)) {
            out.print(Json.event("request").put("len", request.length)
                    .put("hex", Hex.encode(request)) + "\n");
        } else {
            String[] lines = text.split("\r\n", -1);
            for (int i = 0; i < lines.length - 1; i++) {
                out.print("> " + lines[i] + "\n");
            }
        }
        out.flush();
        byte[] response;
        try {
            response = fetch(new InetSocketAddress(host, port), request, timeoutSeconds);
        } catch (IOException e) {
            if (options.has(AddrArgs.JSON)) {
                out.print(Json.event("error").put("detail", e.toString()) + "\n");
                out.flush();
            }
            console.err().println("PortTest: " + host + ":" + port + ": " + e);
            return 1;
        }
        String status = statusLine(response);
        if (options.has(AddrArgs.JSON)) {
            out.print(Json.event("response").put("len", response.length).put("status", status)
                    .put("hex", Hex.encode(response)) + "\n");
        } else {
            out.write(response, 0, response.length);
        }
        out.flush();
        return status.startsWith("HTTP/") ? 0 : 1;
    }

    /** Everything the server sends until it closes, within {@code timeoutSeconds} in all. */
    static byte[] fetch(InetSocketAddress server, byte[] request, double timeoutSeconds)
            throws IOException {
        long deadline = System.nanoTime() + Sockets.nanos(timeoutSeconds);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        try (Socket socket = new Socket()) {
            socket.connect(server, Sockets.millis(timeoutSeconds));
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65_535];
            long remaining;
            while ((remaining = deadline - System.nanoTime()) > 0) {
                socket.setSoTimeout(Sockets.millis(remaining / 1e9));
                int n = in.read(buffer);
                if (n < 0) {
                    return response.toByteArray();
                }
                response.write(buffer, 0, n);
            }
        }
        throw new SocketTimeoutException("the server did not close the connection within "
                + timeoutSeconds + " s");
    }

    /** The first line, bytes as Latin-1 (as Python's twin decodes it). */
    static String statusLine(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
