package crosswire.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A program's request to stop, and what stopping does: servers register the closing of their
 * sockets, so a stop wakes every blocked accept and receive at once. A program run by hand is
 * stopped by SIGTERM or SIGINT (see {@link Console#system()}); one run in-process by the harness
 * is stopped by a call to {@link #request()}.
 */
public final class Stop {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean requested;

    /** Asks the program to stop: runs every registered action once, in order. */
    public void request() {
        List<Runnable> toRun;
        synchronized (this) {
            if (requested) {
                return;
            }
            requested = true;
            toRun = new ArrayList<>(actions);
            actions.clear();
        }
        for (Runnable action : toRun) {
            action.run();
        }
    }

    /** True once a stop was requested. */
    public synchronized boolean requested() {
        return requested;
    }

    /** Runs {@code action} when a stop is requested, or now if one already was. */
    public void onRequest(Runnable action) {
        synchronized (this) {
            if (!requested) {
                actions.add(action);
                return;
            }
        }
        action.run();
    }
}
