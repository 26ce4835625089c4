package crosswire.board;

import crosswire.bench.Events;
import crosswire.bench.JsonLine;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A client's output: lines for a person by hand, bench events with {@code --json}. Printed as
 * UTF-8 whatever the locale (a board's texts are any Unicode), each line flushed at once.
 */
final class BoardOutput {
    private final boolean json;
    private final String program;
    private final PrintStream out;
    private final Events events;

    BoardOutput(boolean json, String program) {
        this.json = json;
        this.program = program;
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

    /** An error: an {@code error} event on the bench, a line on stderr by hand. */
    void error(String code, String detail) {
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
