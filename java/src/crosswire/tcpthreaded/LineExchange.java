package crosswire.tcpthreaded;

import crosswire.net.ClientConnection;
import crosswire.net.Sockets;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * Sends a line to the tcp-threaded server and reads until its reply line is whole (the
 * lecture's client took one {@code recv(1024)} for it). Lines share one connection; any
 * failure drops it, so the next line opens a new one and does not read this one's late reply.
 * Any line protocol whose replies are lines (the calculator's) uses it too.
 */
public final class LineExchange implements Closeable {
    /** Bytes per read. */
    static final int RECV_SIZE = 65_536;

    /** A reply line (without its newline) and its round trip. */
    public static final class Reply {
        public final byte[] line;
        public final double rttMillis;

        private Reply(byte[] line, double rttMillis) {
            this.line = line;
            this.rttMillis = rttMillis;
        }
    }

    private final InetSocketAddress server;
    private final double timeoutSeconds;
    private final long timeoutNanos;
    private final byte[] buffer = new byte[RECV_SIZE];
    private ClientConnection connection;
    private LineDecoder decoder;

    public LineExchange(InetSocketAddress server, double timeoutSeconds) {
        this.server = server;
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutNanos = Sockets.nanos(timeoutSeconds);
    }

    /**
     * Sends {@code request} (a line with its newline, from {@link LineProtocol#encodeLine}) and
     * reads the reply line.
     *
     * @throws SocketTimeoutException if no whole reply line arrived within the timeout (or the
     *     server took in nothing for that long)
     * @throws IOException if the connection could not be opened, or failed, or the server
     *     ended it or sent a line too long to be a reply; the message says which
     */
    public Reply exchange(byte[] request) throws IOException {
        if (connection == null) {
            connection = ClientConnection.open(server, timeoutSeconds);
            decoder = new LineDecoder(LineProtocol.MAX_REPLY);
        }
        try {
            long sendingAt = System.nanoTime();
            connection.out().expireAt(sendingAt + timeoutNanos);
            connection.out().write(request);
            connection.in().expireAt(System.nanoTime() + timeoutNanos);
            byte[] line;
            while ((line = decoder.nextLine()) == null) {
                if (decoder.endOfStream()) {
                    throw new EOFException("the server closed the connection before replying");
                }
                int count = connection.in().read(buffer);
                if (count < 0) {
                    decoder.receiveEnd();
                } else {
                    decoder.receiveData(buffer, 0, count);
                }
            }
            Reply reply = new Reply(line, (System.nanoTime() - sendingAt) / 1e6);
            if (decoder.ended()) {
                // The server has closed the connection: the next line needs a new one.
                disconnect();
            }
            return reply;
        } catch (SocketTimeoutException | EOFException e) {
            disconnect();
            throw e;
        } catch (BadLineException e) {
            disconnect();
            throw new IOException("bad reply: " + e.getMessage(), e);
        } catch (IOException e) {
            // For example a reset: the server went away, or closed on us before this line.
            disconnect();
            throw new IOException("I/O error: " + e, e);
        }
    }

    /** Closes the connection, if one is open; the next line opens a new one. */
    public void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
            decoder = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
