package crosswire.net;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket's output whose writes give up at a deadline. A blocking write has no timeout in Java
 * (SO_TIMEOUT covers reads only): to a peer that sends but never reads, a write blocks once both
 * sides' buffers are full, for ever. So each write arms an alarm that closes the socket at the
 * deadline, which ends the write with a {@link StalledWriteException}. The socket is then
 * unusable, which is what a timed-out connection is anyway.
 */
public final class DeadlineOutputStream extends FilterOutputStream {
    private final Socket socket;
    private long deadline;

    public DeadlineOutputStream(Socket socket) throws IOException {
        super(socket.getOutputStream());
        this.socket = socket;
    }

    /** Writes from now on must finish by {@code deadline} ({@link System#nanoTime} time). */
    public void expireAt(long deadline) {
        this.deadline = deadline;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        long startedAt = System.nanoTime();
        long remaining = deadline - startedAt;
        if (remaining <= 0) {
            throw new StalledWriteException("write not started: its deadline had passed");
        }
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> alarm = Alarms.TIMER.schedule(() -> {
            fired.set(true);
            Sockets.closeQuietly(socket);
        }, remaining, TimeUnit.NANOSECONDS);
        try {
            out.write(buffer, offset, length);
        } catch (IOException e) {
            if (fired.get()) {
                throw stalled(startedAt, length);
            }
            throw e;
        } finally {
            alarm.cancel(false);
        }
        if (fired.get()) {
            // The alarm went off just as the write returned; the socket is closed all the same.
            throw stalled(startedAt, length);
        }
    }

    private static StalledWriteException stalled(long startedAt, int length) {
        return new StalledWriteException(String.format("write of %d bytes timed out after %.3f s:"
                + " the peer is not reading what it is sent", length,
                (System.nanoTime() - startedAt) / 1e9));
    }

    /**
     * One daemon thread for every alarm, started when an alarm is set and ended after a second
     * without one, so an idle server is back to its idle thread count; a cancelled alarm is
     * dropped at once.
     */
    private static final class Alarms {
        static final long KEEP_ALIVE_SECONDS = 1;
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "write-deadline");
                thread.setDaemon(true);
                return thread;
            });
            timer.setRemoveOnCancelPolicy(true);
            timer.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
            timer.allowCoreThreadTimeOut(true);
            return timer;
        }
    }
}
