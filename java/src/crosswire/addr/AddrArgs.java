package crosswire.addr;

import crosswire.bench.Option;
import crosswire.bench.UsageException;
import java.util.regex.Pattern;

/**
 * The addr programs' options: {@code --json}, {@code --host}, {@code --port}, {@code --timeout};
 * everything else is positional, parsed with {@link crosswire.bench.Options.Dashes#TWO} (and
 * {@code --} ends the options, so {@code parse -- --x} asks about "--x").
 */
final class AddrArgs {
    static final Option<Boolean> JSON = Option.JSON;
    static final Option<String> HOST = Option.HOST;
    /** The server's port: 1 to 65535. */
    static final Option<Integer> PORT = Option.of("--port", Integer.class, (name, value) -> {
        int number = number(value);
        if (number < 0) {
            throw new UsageException(name + " must name the server's port (1 to 65535), not '"
                    + value + "'");
        }
        return number;
    });
    static final Option<Double> TIMEOUT = Option.TIMEOUT;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");

    private AddrArgs() {
    }

    /** A port given positionally (the port test's second argument). */
    static int port(String value) throws UsageException {
        int number = number(value);
        if (number < 0) {
            throw new UsageException("the port must be 1 to 65535, not '" + value + "'");
        }
        return number;
    }

    /** {@code value} as a port number from 1 to 65535, or -1 if it is not one. */
    private static int number(String value) {
        int number = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
        return number >= 1 && number <= 65_535 ? number : -1;
    }
}
