package crosswire.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A socket's input that gives up at a deadline, not after a quiet spell: before each read it
 * sets the socket's timeout to the time that is left, so a reply that trickles in byte by byte
 * cannot stretch the wait past {@code --timeout} (a plain SO_TIMEOUT restarts with every byte).
 */
public final class DeadlineInputStream extends FilterInputStream {
    private final Socket socket;
    private long deadline;

    public DeadlineInputStream(Socket socket) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
    }

    /** Reads from now on must finish by {@code deadline} ({@link System#nanoTime} time). */
    public void expireAt(long deadline) {
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        return super.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        armTimeout();
        return super.read(buffer, offset, length);
    }

    private void armTimeout() throws IOException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        // Rounded up to at least 1 ms: a timeout of 0 would mean "wait forever".
        socket.setSoTimeout((int) Math.max(1, (remaining + 999_999) / 1_000_000));
    }
}
