package crosswire.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;

/** How the TCP examples name a peer, turn seconds into socket timeouts, and close things. */
public final class Sockets {

    private Sockets() {
    }

    /** A connection's far end as the bench writes it: {@code host:port}. */
    public static String peer(Socket socket) {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    /** Seconds as a socket timeout: at least 1 ms, since 0 would mean "wait forever". */
    public static int millis(double seconds) {
        return (int) Math.max(1, Math.ceil(seconds * 1000));
    }

    /** Seconds as nanoseconds, for deadlines on {@link System#nanoTime}. */
    public static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    /** Seconds for a message: "1.0 s", "0.25 s". */
    public static String seconds(double seconds) {
        return seconds + " s";
    }

    /** Closes {@code closeable} when closing is all that is left to do with it. */
    public static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Nothing more can be done with it, and there is no one to tell.
        }
    }
}
