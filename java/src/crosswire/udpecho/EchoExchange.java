package crosswire.udpecho;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Sends one message to the echo server and waits for its echo, resending after each timeout.
 * A reply matches when it comes from the server's address and port and carries the same bytes;
 * anything else is passed to the {@link StaleListener} and the wait goes on.
 */
final class EchoExchange {

    /** Told about each datagram that is not the awaited echo. */
    interface StaleListener {
        void stale(DatagramPacket datagram);
    }

    /** How one message ended: a reply (with its round trip) or a timeout. */
    static final class Outcome {
        final boolean replied;
        final int attempts;
        final double rttMillis;
        final byte[] reply;

        private Outcome(boolean replied, int attempts, double rttMillis, byte[] reply) {
            this.replied = replied;
            this.attempts = attempts;
            this.rttMillis = rttMillis;
            this.reply = reply;
        }
    }

    private final DatagramSocket socket;
    private final InetAddress server;
    private final int port;
    private final long timeoutNanos;
    private final int retries;
    private final byte[] buffer = new byte[Datagrams.BUFFER_SIZE];

    EchoExchange(DatagramSocket socket, InetAddress server, int port, double timeoutSeconds,
            int retries) {
        this.socket = socket;
        this.server = server;
        this.port = port;
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        this.retries = retries;
    }

    /** Sends {@code message} up to 1 + retries times; the caller checks its size first. */
    Outcome exchange(byte[] message, StaleListener listener) throws IOException {
        int attempts = 0;
        while (attempts <= retries) {
            attempts++;
            socket.send(new DatagramPacket(message, message.length, server, port));
            long sentAt = System.nanoTime();
            long deadline = sentAt + timeoutNanos;
            DatagramPacket datagram;
            while ((datagram = receiveBefore(deadline)) != null) {
                long arrivedAt = System.nanoTime();
                if (isEcho(datagram, message)) {
                    byte[] reply = Arrays.copyOfRange(datagram.getData(), datagram.getOffset(),
                            datagram.getOffset() + datagram.getLength());
                    return new Outcome(true, attempts, (arrivedAt - sentAt) / 1e6, reply);
                }
                listener.stale(datagram);
            }
        }
        return new Outcome(false, attempts, 0.0, null);
    }

    /** The next datagram, or null once the deadline has passed. */
    private DatagramPacket receiveBefore(long deadline) throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return null;
        }
        // Rounded up to at least 1 ms: a timeout of 0 would mean "wait forever".
        socket.setSoTimeout((int) Math.max(1, (remaining + 999_999) / 1_000_000));
        DatagramPacket datagram = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(datagram);
            return datagram;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private boolean isEcho(DatagramPacket datagram, byte[] message) {
        return datagram.getAddress().equals(server)
                && datagram.getPort() == port
                && Arrays.equals(datagram.getData(), datagram.getOffset(),
                        datagram.getOffset() + datagram.getLength(), message, 0, message.length);
    }
}
