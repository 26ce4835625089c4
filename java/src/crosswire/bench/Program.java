package crosswire.bench;

/**
 * What every program's {@code main} does: exit with the status its body returns, or on a
 * usage error print the error and the usage to stderr and exit with status 2.
 */
public final class Program {

    /** A program's body: the exit status for its arguments. */
    @FunctionalInterface
    public interface Body {
        int run(String[] args) throws UsageException;
    }

    private Program() {
    }

    /** Runs {@code body} on {@code args} and exits; {@code name} starts a usage error's line. */
    public static void main(String name, String usage, String[] args, Body body) {
        try {
            System.exit(body.run(args));
        } catch (UsageException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.println(usage);
            System.exit(2);
        }
    }
}
