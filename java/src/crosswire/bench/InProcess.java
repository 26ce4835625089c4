package crosswire.bench;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * A program run in the harness's JVM rather than in a JVM of its own: the same {@code run(String[],
 * Console)} its {@code main} calls, on a daemon thread, with stdin given as bytes, each line of
 * its stdout and stderr handed to a {@link LineSink}, and a {@link Stop} the harness requests in
 * place of SIGTERM. Its exit status is handed over on its own thread as it ends, so no caller
 * thread need block in the JVM waiting for it. Being daemon, a program that never ends cannot
 * keep the JVM from exiting.
 */
public final class InProcess {
    /** The exit status of a program still running. */
    public static final int RUNNING = -1;

    private final Thread thread;
    private final Stop stop = new Stop();
    private volatile int exitStatus = RUNNING;

    private InProcess(Method body, String name, String[] args, byte[] stdin, LineSink out,
            LineSink err, IntConsumer onExit) {
        PrintStream stdout = new PrintStream(new LineOutputStream(out), true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(new LineOutputStream(err), true, StandardCharsets.UTF_8);
        Console console = new Console(new ByteArrayInputStream(stdin), stdout, stderr, stop);
        this.thread = new Thread(() -> {
            int status = Program.run(name, "", args, console, (a, c) -> invoke(body, a, c));
            stdout.close();
            stderr.close();
            exitStatus = status;
            onExit.accept(status);
        }, "inproc " + name);
        thread.setDaemon(true);
    }

    /**
     * Starts the program whose class is {@code className}: its public static {@code run(String[],
     * Console)}; {@code onExit} gets its exit status once its output is all handed over.
     */
    public static InProcess start(String className, String[] args, byte[] stdin, LineSink out,
            LineSink err, IntConsumer onExit) throws ReflectiveOperationException {
        Class<?> program = Class.forName(className);
        Method body = program.getMethod("run", String[].class, Console.class);
        if (!Modifier.isStatic(body.getModifiers()) || body.getReturnType() != int.class) {
            throw new NoSuchMethodException(className + " has no static int run(String[], Console)");
        }
        InProcess running = new InProcess(body, program.getSimpleName(), args.clone(), stdin.clone(),
                out, err, onExit);
        running.thread.start();
        return running;
    }

    private static int invoke(Method body, String[] args, Console console) throws UsageException {
        try {
            return (Integer) body.invoke(null, args, console);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UsageException) {
                throw (UsageException) cause;
            }
            // What an uncaught exception does to a program run by hand: a trace and status 1.
            cause.printStackTrace(console.err());
            return 1;
        } catch (IllegalAccessException e) {
            e.printStackTrace(console.err());
            return 1;
        }
    }

    /** Asks the program to stop, as SIGTERM would. */
    public void requestStop() {
        stop.request();
    }

    /** Waits at most {@code millis} for the program to end; true if it has. */
    public boolean await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }

    /** The program's exit status, or {@link #RUNNING}. */
    public int exitStatus() {
        return exitStatus;
    }
}
