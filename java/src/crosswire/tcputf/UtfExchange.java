package crosswire.tcputf;

import crosswire.net.DeadlineInputStream;
import crosswire.net.Sockets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Sends a string to the tcp-utf server and waits for its echo, over a connection it opens when
 * none is open. Any failure drops the connection, so the next exchange starts afresh.
 */
final class UtfExchange implements Closeable {

    /** An echo and its round trip. */
    static final class Reply {
        final String text;
        final double rttMillis;

        private Reply(String text, double rttMillis) {
            this.text = text;
            this.rttMillis = rttMillis;
        }
    }

    private final InetSocketAddress server;
    private final double timeoutSeconds;
    private Socket socket;
    private DeadlineInputStream deadlineInput;
    private FrameReader in;
    private DataOutputStream out;

    UtfExchange(InetSocketAddress server, double timeoutSeconds) {
        this.server = server;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Sends {@code message} (the caller has checked that it fits a frame) and reads its reply.
     *
     * @throws SocketTimeoutException if no whole reply arrived within the timeout
     * @throws IOException if the connection could not be opened, or failed, or the server ended
     *     it or sent a malformed frame; the message says which
     */
    Reply exchange(String message) throws IOException {
        connectIfClosed();
        try {
            out.writeUTF(message);
            out.flush();
            long sentAt = System.nanoTime();
            deadlineInput.expireAt(sentAt + (long) (timeoutSeconds * 1e9));
            String reply = in.next();
            long arrivedAt = System.nanoTime();
            if (reply == null) {
                throw new EOFException("the server closed the connection without replying");
            }
            return new Reply(reply, (arrivedAt - sentAt) / 1e6);
        } catch (SocketTimeoutException e) {
            disconnect();
            throw e;
        } catch (TruncatedFrameException | UTFDataFormatException e) {
            disconnect();
            throw new IOException("bad reply: " + e.getMessage(), e);
        } catch (EOFException e) {
            disconnect();
            throw e;
        } catch (IOException e) {
            // For example a reset: the server went away, or closed on us before this message.
            disconnect();
            throw new IOException("I/O error: " + e, e);
        }
    }

    private void connectIfClosed() throws IOException {
        if (socket != null) {
            return;
        }
        Socket opening = new Socket();
        try {
            opening.connect(server, Sockets.millis(timeoutSeconds));
            deadlineInput = new DeadlineInputStream(opening);
            in = new FrameReader(new BufferedInputStream(deadlineInput));
            out = new DataOutputStream(new BufferedOutputStream(opening.getOutputStream()));
        } catch (IOException e) {
            opening.close();
            // Not a SocketTimeoutException even if connect timed out: nothing was sent, so this
            // is an error, not a missing reply.
            throw new IOException("cannot connect to " + server.getHostString() + ":"
                    + server.getPort() + ": " + e.getMessage(), e);
        }
        socket = opening;
    }

    /** Closes the connection, if one is open; the next exchange opens a new one. */
    void disconnect() {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // The connection is being dropped; nothing more to do with it.
        } finally {
            socket = null;
            deadlineInput = null;
            in = null;
            out = null;
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
