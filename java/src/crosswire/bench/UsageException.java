package crosswire.bench;

/** The command line or the bench input was wrong; the program exits with status 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
