package crosswire.tcputf;

import crosswire.net.Sockets;
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
 * shell ({@link crosswire.net.TcpServer}) runs it on a thread of its own once the object is
 * built, never the constructor, and closes the socket when it returns.
 */
final class Connection {
    private final TCPServer server;
    private final Socket socket;
    private final String peer;

    Connection(TCPServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
        this.peer = Sockets.peer(socket);
    }

    String peer() {
        return peer;
    }

    Socket socket() {
        return socket;
    }

    /** Serves the connection to its end, reporting every way it can end badly. */
    void run() {
        FrameReader frames;
        DataOutputStream out;
        try {
            frames = new FrameReader(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        } catch (IOException e) {
            if (!server.stopping()) {
                server.reportError(this, "I/O error: " + e);
            }
            return;
        }
        try {
            echo(frames, out);
        } catch (SocketTimeoutException e) {
            server.reportError(this, "idle timeout: nothing received for "
                    + Sockets.seconds(server.idleTimeoutSeconds()) + " " + frames.progress()
                    + "; connection closed");
        } catch (TruncatedFrameException | UTFDataFormatException e) {
            server.reportError(this, e.getMessage() + "; connection closed");
        } catch (IOException e) {
            // A reset by the peer, or the socket closed by the stop.
            if (!server.stopping()) {
                server.reportError(this, "I/O error " + frames.progress() + ": " + e
                        + "; connection closed");
            }
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
