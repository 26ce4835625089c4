package crosswire.calc;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Sends one calculator request as a datagram tagged {@code <session>-<seq>} and waits for the
 * reply with that ID from the server's address, resending after each timeout. A reply to an
 * earlier attempt of another request (or a stranger's datagram) carries another ID and goes to
 * the {@link StaleListener}, so a retry can never pair a request with the wrong answer. The
 * session (random per run) keeps IDs from repeating between runs, not only between requests.
 */
final class CalcUdpExchange {
    /** The largest payload over IPv4: 65,535 less 20 bytes of IP header and 8 of UDP header. */
    static final int MAX_PAYLOAD = 65_507;

    /** Told about each datagram that is not the awaited reply. */
    interface StaleListener {
        void stale(DatagramPacket datagram);
    }

    /** How one request ended: a reply without its ID (with its round trip), or a timeout. */
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

    /** The request cannot go in one datagram; nothing was sent. */
    static final class TooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLongException(String message) {
            super(message);
        }
    }

    private final DatagramSocket socket;
    private final InetAddress server;
    private final int port;
    private final long timeoutNanos;
    private final int retries;
    private final String session;
    private final byte[] buffer = new byte[CalcUdpServer.RECEIVE_BUFFER];

    CalcUdpExchange(DatagramSocket socket, InetAddress server, int port, double timeoutSeconds,
            int retries, String session) {
        this.socket = socket;
        this.server = server;
        this.port = port;
        this.timeoutNanos = (long) (timeoutSeconds * 1e9);
        this.retries = retries;
        this.session = session;
    }

    /** The request ID of message {@code seq}. */
    String requestId(int seq) {
        return session + "-" + seq;
    }

    /**
     * Sends request {@code seq} up to 1 + retries times.
     *
     * @throws TooLongException if the datagram would be over {@link #MAX_PAYLOAD}
     * @throws IOException if a send or receive failed
     */
    Outcome exchange(int seq, byte[] request, StaleListener listener)
            throws IOException, TooLongException {
        String requestId = requestId(seq);
        byte[] datagram = Calculator.datagramRequest(requestId, request);
        if (datagram.length > MAX_PAYLOAD) {
            throw new TooLongException("request is " + datagram.length + " bytes with its ID;"
                    + " a UDP datagram over IPv4 carries at most " + MAX_PAYLOAD
                    + "; nothing was sent");
        }
        int attempts = 0;
        while (attempts <= retries) {
            attempts++;
            long sentAt = System.nanoTime();
            socket.send(new DatagramPacket(datagram, datagram.length, server, port));
            long deadline = sentAt + timeoutNanos;
            DatagramPacket received;
            while ((received = receiveBefore(deadline)) != null) {
                long arrivedAt = System.nanoTime();
                byte[] data = Arrays.copyOfRange(received.getData(), received.getOffset(),
                        received.getOffset() + received.getLength());
                if (isFromServer(received) && requestId.equals(replyId(data))) {
                    byte[] reply = Arrays.copyOfRange(data, requestId.length() + 1, data.length);
                    return new Outcome(true, attempts, (arrivedAt - sentAt) / 1e6, reply);
                }
                listener.stale(received);
            }
        }
        return new Outcome(false, attempts, 0.0, null);
    }

    /** The request ID a reply datagram starts with; "" if it is not a calculator reply. */
    private static String replyId(byte[] data) {
        try {
            return Calculator.parseDatagramReply(data).requestId();
        } catch (CalcReply.BadReply e) {
            return "";
        }
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

    private boolean isFromServer(DatagramPacket datagram) {
        return datagram.getAddress().equals(server) && datagram.getPort() == port;
    }
}
