package crosswire.tcpecho;

import crosswire.net.ClientConnection;
import crosswire.net.Sockets;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * Sends a message to the tcp-echo server and reads its echo: exactly as many bytes as were
 * sent, in as many reads as the network makes of them (the lecture took one {@code recv(1024)}
 * for the whole reply). Messages share one connection; any failure drops it, so the next
 * message opens a new one and is not read against the leftovers of this one.
 */
final class EchoExchange implements Closeable {

    /** An echo and its round trip. */
    static final class Reply {
        final byte[] bytes;
        final double rttMillis;

        private Reply(byte[] bytes, double rttMillis) {
            this.bytes = bytes;
            this.rttMillis = rttMillis;
        }
    }

    private final InetSocketAddress server;
    private final double timeoutSeconds;
    private final long timeoutNanos;
    private ClientConnection connection;
    /** The length of the message sent last, whose echo {@link #receive} reads. */
    private int expected;
    private long sendingAt;
    private long sentAt;

    EchoExchange(InetSocketAddress server, double timeoutSeconds) {
        this.server = server;
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutNanos = Sockets.nanos(timeoutSeconds);
    }

    /**
     * Sends {@code message}, over a new connection if none is open; an empty message sends
     * nothing.
     *
     * @throws SocketTimeoutException if the server took in nothing for the whole timeout
     * @throws IOException if the connection could not be opened or failed; the message says which
     */
    void send(byte[] message) throws IOException {
        if (connection == null) {
            connection = ClientConnection.open(server, timeoutSeconds);
        }
        sendingAt = System.nanoTime();
        try {
            if (message.length > 0) {
                connection.out().expireAt(sendingAt + timeoutNanos);
                connection.out().write(message);
            }
        } catch (IOException e) {
            throw dropAfter(e);
        }
        sentAt = System.nanoTime();
        expected = message.length;
    }

    /**
     * Reads the echo of the message just sent, which must be whole within the timeout.
     *
     * @throws SocketTimeoutException if it was not
     * @throws IOException if the server closed the connection first, or it failed
     */
    Reply receive() throws IOException {
        byte[] reply = new byte[expected];
        int filled = 0;
        try {
            connection.in().expireAt(sentAt + timeoutNanos);
            while (filled < reply.length) {
                int count = connection.in().read(reply, filled, reply.length - filled);
                if (count < 0) {
                    throw new EOFException("the server closed the connection after " + filled
                            + " of the " + reply.length + " bytes of the echo");
                }
                filled += count;
            }
        } catch (IOException e) {
            throw dropAfter(e);
        }
        return new Reply(reply, (System.nanoTime() - sendingAt) / 1e6);
    }

    /** Drops the connection after {@code e}, and says what happened. */
    private IOException dropAfter(IOException e) {
        disconnect();
        if (e instanceof SocketTimeoutException || e instanceof EOFException) {
            return e;
        }
        // For example a reset: the server went away, or closed on us before this message.
        return new IOException("I/O error: " + e, e);
    }

    /** Closes the connection, if one is open; the next message opens a new one. */
    void disconnect() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
