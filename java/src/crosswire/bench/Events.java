package crosswire.bench;

import java.io.PrintStream;

/** Writes bench events to a program's stdout, one JSON object per line, each flushed at once. */
public final class Events {
    private final PrintStream out;

    public Events(PrintStream out) {
        this.out = out;
    }

    public void emit(JsonLine event) {
        // JsonLine output is ASCII, so the stream's charset cannot change it; '\n' rather than
        // println keeps the line ending the same on every platform.
        synchronized (out) {
            out.print(event.toString());
            out.print('\n');
            out.flush();
        }
    }
}
