package crosswire.tcputf;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One client of {@link TCPServer}: echoes each string it sends until it closes the connection.
 * Unlike the lecture's {@code Connection extends Thread}, this is a plain task: the server
 * starts its thread once the object is built, never the constructor.
 */
final class Connection implements Runnable {
    private final TCPServer server;
    private final Socket socket;
    private final String peer;

    Connection(TCPServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
        this.peer = TcpUtf.peer(socket);
    }

    String peer() {
        return peer;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void run() {
        // try-with-resources closes the socket exactly once, whatever ends the connection.
        try (Socket closing = socket) {
            FrameReader frames = new FrameReader(new BufferedInputStream(closing.getInputStream()));
            try {
                echo(frames, new DataOutputStream(
                        new BufferedOutputStream(closing.getOutputStream())));
            } catch (SocketTimeoutException e) {
                server.reportError(this, "idle timeout: nothing received for "
                        + TcpUtf.seconds(server.idleTimeoutSeconds()) + " " + frames.progress()
                        + "; connection closed");
            } catch (TruncatedFrameException | UTFDataFormatException e) {
                server.reportError(this, e.getMessage() + "; connection closed");
            } catch (IOException e) {
                // A reset by the peer, or the socket closed by the shutdown hook.
                if (!server.stopping()) {
                    server.reportError(this, "I/O error " + frames.progress() + ": " + e
                            + "; connection closed");
                }
            }
        } catch (IOException e) {
            if (!server.stopping()) {
                server.reportError(this, "I/O error: " + e);
            }
        } finally {
            server.connectionEnded(this);
        }
    }

    /** The lecture's readUTF/writeUTF, in a loop until the client closes between two frames. */
    private void echo(FrameReader frames, DataOutputStream out) throws IOException {
        String message;
        while ((message = frames.next()) != null) {
            server.reportReceived(this, message);
            long encoded = ModifiedUtf8.encodedLength(message);
            if (encoded > ModifiedUtf8.MAX_ENCODED_LENGTH) {
                // Only possible when the frame wrote U+0000 as a plain 00 byte, which readUTF
                // accepts and writeUTF writes as C0 80: the echo would not fit its frame.
                server.reportError(this, "cannot echo: the string re-encodes to " + encoded
                        + " bytes of modified UTF-8 (each plain 00 byte becomes C0 80), more than"
                        + " a writeUTF frame holds (" + ModifiedUtf8.MAX_ENCODED_LENGTH
                        + "); connection closed");
                return;
            }
            out.writeUTF(message);
            out.flush();
        }
    }
}
