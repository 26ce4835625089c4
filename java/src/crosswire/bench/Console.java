package crosswire.bench;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a program reads and writes, and how it is told to stop: the process's standard streams
 * and signals when run by hand ({@link #system()}), or streams and a {@link Stop} the harness
 * owns when it runs the program in-process. Programs never touch {@code System.in/out/err}.
 */
public final class Console {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Stop stop;

    public Console(InputStream in, PrintStream out, PrintStream err, Stop stop) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    /**
     * The process's console: stdin, and stdout and stderr in UTF-8 whatever the locale (under
     * {@code LANG=C}, JDK 17's {@code System.out} prints the lecture's 大家好 as "???"); a
     * shutdown hook (SIGTERM, SIGINT) requests the stop.
     */
    public static Console system() {
        Stop stop = new Stop();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::request, "stop"));
        return new Console(System.in, utf8(FileDescriptor.out), utf8(FileDescriptor.err), stop);
    }

    private static PrintStream utf8(FileDescriptor descriptor) {
        // Flushed at every newline, like System.out; a prompt without one is flushed by its caller.
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(descriptor)), true,
                StandardCharsets.UTF_8);
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Stop stop() {
        return stop;
    }
}
