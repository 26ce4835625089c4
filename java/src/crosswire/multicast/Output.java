package crosswire.multicast;

import crosswire.bench.Events;
import crosswire.bench.JsonLine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Prints either the lecture's text (by hand) or bench events ({@code --json}); the twin of
 * {@code crosswire.peerutil.Output}. Every line is flushed at once. The multicast and board
 * programs use it.
 */
public final class Output {
    private final boolean json;
    private final String program;
    private final PrintStream out;
    private final Events events;

    /** {@code program} starts the lines that {@link #error} prints by hand. */
    public Output(boolean json, String program) {
        this.json = json;
        this.program = program;
        // UTF-8 whatever the locale: under LANG=C, JDK 17's System.out would print the lecture's
        // 大家好 (or a board's text) as "???". Events are ASCII, so they come out the same either
        // way.
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        this.events = new Events(out);
    }

    public boolean json() {
        return json;
    }

    /** A line in both modes (the readiness line). */
    public void line(String text) {
        synchronized (out) {
            out.print(text);
            out.print('\n');
            out.flush();
        }
    }

    /** A line for a person; silent on the bench. */
    public void say(String text) {
        if (!json) {
            line(text);
        }
    }

    /** A bench event; silent by hand. */
    public void event(JsonLine event) {
        if (json) {
            events.emit(event);
        }
    }

    /** An error: an {@code error} event on the bench, a line on stderr by hand. */
    public void error(String code, String detail) {
        if (json) {
            JsonLine event = JsonLine.event("error");
            if (code != null) {
                event.put("code", code);
            }
            events.emit(event.put("detail", detail));
        } else {
            System.err.println(program + ": " + (code != null ? code + ": " : "") + detail);
        }
    }
}
