package crosswire.multicast;

import crosswire.bench.Console;
import crosswire.bench.Events;
import crosswire.bench.JsonLine;
import java.io.PrintStream;

/**
 * Prints either the lecture's text (by hand) or bench events ({@code --json}); the twin of
 * {@code crosswire.peerutil.Output}. Every line is flushed at once. The multicast and board
 * programs use it.
 */
public final class Output {
    private final boolean json;
    private final String program;
    private final PrintStream out;
    private final PrintStream err;
    private final Events events;

    /**
     * Prints on {@code console}'s stdout and stderr (UTF-8 by hand, so the lecture's 大家好
     * survives {@code LANG=C}); {@code program} starts the lines that {@link #error} prints by
     * hand.
     */
    public Output(boolean json, String program, Console console) {
        this.json = json;
        this.program = program;
        this.out = console.out();
        this.err = console.err();
        this.events = new Events(out);
    }

    public boolean json() {
        return json;
    }

    /** Where a program's own complaints go, by hand. */
    public PrintStream err() {
        return err;
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
            err.println(program + ": " + (code != null ? code + ": " : "") + detail);
        }
    }
}
