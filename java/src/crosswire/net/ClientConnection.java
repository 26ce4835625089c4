package crosswire.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A client's connection whose reads and writes both end at deadlines it sets, so no exchange
 * can wait longer than the client's {@code --timeout}, however the server behaves.
 */
public final class ClientConnection implements Closeable {
    private final Socket socket;
    private final DeadlineInputStream in;
    private final DeadlineOutputStream out;

    private ClientConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DeadlineInputStream(socket);
        this.out = new DeadlineOutputStream(socket);
    }

    /**
     * Connects to {@code server} within {@code timeoutSeconds}.
     *
     * @throws IOException saying "cannot connect to host:port" and why; never a {@code
     *     SocketTimeoutException}, since nothing was sent: this is an error, not a missing reply
     */
    public static ClientConnection open(InetSocketAddress server, double timeoutSeconds)
            throws IOException {
        Socket opening = new Socket();
        try {
            opening.connect(server, Sockets.millis(timeoutSeconds));
            return new ClientConnection(opening);
        } catch (IOException e) {
            opening.close();
            throw new IOException("cannot connect to " + server.getHostString() + ":"
                    + server.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The input; set its deadline with {@link DeadlineInputStream#expireAt} before reading. */
    public DeadlineInputStream in() {
        return in;
    }

    /** The output; set its deadline with {@link DeadlineOutputStream#expireAt} before writing. */
    public DeadlineOutputStream out() {
        return out;
    }

    @Override
    public void close() {
        Sockets.closeQuietly(socket);
    }
}
