package crosswire.multicast;

import crosswire.bench.Events;
import crosswire.bench.JsonLine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints either the lecture's text (by hand) or bench events ({@code --json}); the twin of
 * {@code crosswire.peerutil.Output}. Every line is flushed at once.
 */
final class Output {
    private final boolean json;
    private final PrintStream out;
    private final Events events;

    Output(boolean json) {
        this.json = json;
        // UTF-8 whatever the locale: under LANG=C, JDK 17's System.out would print the lecture's
        // 大家好 as "???". Events are ASCII, so they come out the same either way.
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        this.events = new Events(out);
    }

    boolean json() {
        return json;
    }

    /** A line in both modes (the readiness line). */
    void line(String text) {
        synchronized (out) {
            out.print(text);
            out.print('\n');
            out.flush();
        }
    }

    /** A line for a person; silent on the bench. */
    void say(String text) {
        if (!json) {
            line(text);
        }
    }

    /** A bench event; silent by hand. */
    void event(JsonLine event) {
        if (json) {
            events.emit(event);
        }
    }
}
