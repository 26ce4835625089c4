package crosswire.addr;

import crosswire.bench.UsageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The addr programs' options: {@code --json}, {@code --host}, {@code --port}, {@code --timeout};
 * everything else is positional. {@code --opt value} and {@code --opt=value} both work, and
 * {@code --} ends the options (so {@code parse -- --x} asks about "--x").
 */
final class AddrArgs {
    static final String JSON = "--json";
    static final String HOST = "--host";
    static final String PORT = "--port";
    static final String TIMEOUT = "--timeout";
    static final double MAX_TIMEOUT_SECONDS = 86_400.0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private boolean json;
    private boolean help;
    private String host;
    private Integer port;
    private Double timeoutSeconds;
    private final List<String> positional = new ArrayList<>();

    private AddrArgs() {
    }

    /** Parses {@code args}, accepting only the {@code accepted} options (and -h/--help). */
    static AddrArgs parse(String[] args, Set<String> accepted) throws UsageException {
        AddrArgs parsed = new AddrArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                parsed.positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                parsed.help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                parsed.positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String flag = equals < 0 ? arg : arg.substring(0, equals);
            if (!accepted.contains(flag)) {
                throw new UsageException("unknown option " + flag);
            }
            if (flag.equals(JSON)) {
                if (equals >= 0) {
                    throw new UsageException(flag + " takes no value");
                }
                parsed.json = true;
                continue;
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException(flag + " needs a value");
            }
            parsed.set(flag, value);
        }
        return parsed;
    }

    private void set(String flag, String value) throws UsageException {
        if (flag.equals(HOST)) {
            if (value.isEmpty()) {
                throw new UsageException("--host must not be empty");
            }
            host = value;
        } else if (flag.equals(PORT)) {
            int number = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
            if (number < 1 || number > 65_535) {
                throw new UsageException("--port must name the server's port (1 to 65535), not '"
                        + value + "'");
            }
            port = number;
        } else {
            timeoutSeconds = seconds(value);
        }
    }

    /** A number of seconds above 0 and at most a day (no NaN, Infinity or hex floats). */
    static double seconds(String value) throws UsageException {
        if (DECIMAL.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS) {
                return seconds;
            }
        }
        throw new UsageException("--timeout must be a number of seconds above 0 and at most "
                + MAX_TIMEOUT_SECONDS + ", not '" + value + "'");
    }

    /** A port given positionally (the port test's second argument). */
    static int port(String value) throws UsageException {
        int number = DIGITS.matcher(value).matches() ? Integer.parseInt(value) : -1;
        if (number < 1 || number > 65_535) {
            throw new UsageException("the port must be 1 to 65535, not '" + value + "'");
        }
        return number;
    }

    boolean json() {
        return json;
    }

    boolean helpRequested() {
        return help;
    }

    String host(String fallback) {
        return host != null ? host : fallback;
    }

    /** The port, which the caller requires. */
    int port() throws UsageException {
        if (port == null) {
            throw new UsageException("--port is required");
        }
        return port;
    }

    double timeoutSeconds(double fallback) {
        return timeoutSeconds != null ? timeoutSeconds : fallback;
    }

    List<String> positional() {
        return Collections.unmodifiableList(positional);
    }
}
