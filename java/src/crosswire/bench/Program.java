package crosswire.bench;

/**
 * What every program's {@code main} does: run its body on the process's console and exit with
 * the status it returns, or on a usage error print the error and the usage to stderr and exit
 * with status 2. {@link InProcess} runs the same bodies on a console of its own.
 */
public final class Program {

    /** A program's body: the exit status for its arguments, on its console. */
    @FunctionalInterface
    public interface Body {
        int run(String[] args, Console console) throws UsageException;
    }

    private Program() {
    }

    /** Runs {@code body} on {@code args} and exits; {@code name} starts a usage error's line. */
    public static void main(String name, String usage, String[] args, Body body) {
        Console console = Console.system();
        int status = run(name, usage, args, console, body);
        console.out().flush();
        console.err().flush();
        System.exit(status);
    }

    /** Runs {@code body}; a usage error is printed on the console's stderr, with status 2. */
    public static int run(String name, String usage, String[] args, Console console, Body body) {
        try {
            return body.run(args, console);
        } catch (UsageException e) {
            console.err().println(name + ": " + e.getMessage());
            if (!usage.isEmpty()) {
                console.err().println(usage);
            }
            return 2;
        }
    }
}
