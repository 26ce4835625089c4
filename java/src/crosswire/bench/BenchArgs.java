package crosswire.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of docs/bench-protocol.md ({@code --host}, {@code --port}, {@code --timeout},
 * {@code --retries}, {@code --json}, tcp-utf's {@code --persistent}, and the TCP servers'
 * {@code --idle-timeout} and {@code --max-connections}); everything else is kept as positional
 * arguments.
 * Both {@code --opt value} and {@code --opt=value} are accepted, a later option overrides an
 * earlier one, and {@code --} ends the options.
 */
public final class BenchArgs {

    /** One bench option; each program accepts a subset. */
    public enum Option {
        HOST("--host", true),
        PORT("--port", true),
        TIMEOUT("--timeout", true),
        RETRIES("--retries", true),
        JSON("--json", false),
        PERSISTENT("--persistent", false),
        IDLE_TIMEOUT("--idle-timeout", true),
        MAX_CONNECTIONS("--max-connections", true);

        final String flag;
        final boolean takesValue;

        Option(String flag, boolean takesValue) {
            this.flag = flag;
            this.takesValue = takesValue;
        }
    }

    /** Longer than a bench run can sensibly wait, and far below where nanoseconds overflow. */
    static final double MAX_TIMEOUT_SECONDS = 86_400.0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private String host;
    private Integer port;
    private Double timeoutSeconds;
    private Integer retries;
    private boolean json;
    private boolean persistent;
    private Double idleTimeoutSeconds;
    private Integer maxConnections;
    private boolean help;
    private final List<String> positional = new ArrayList<>();

    private BenchArgs() {
    }

    /** Parses {@code args}, accepting only the {@code accepted} options (and -h/--help). */
    public static BenchArgs parse(String[] args, Set<Option> accepted) throws UsageException {
        BenchArgs parsed = new BenchArgs();
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
            Option option = find(flag, accepted);
            String value = null;
            if (option.takesValue) {
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(flag + " needs a value");
                }
            } else if (equals >= 0) {
                throw new UsageException(flag + " takes no value");
            }
            parsed.set(option, value);
        }
        return parsed;
    }

    private static Option find(String flag, Set<Option> allowed) throws UsageException {
        for (Option option : allowed) {
            if (option.flag.equals(flag)) {
                return option;
            }
        }
        throw new UsageException("unknown option " + flag);
    }

    private void set(Option option, String value) throws UsageException {
        switch (option) {
            case HOST:
                if (value.isEmpty()) {
                    throw new UsageException("--host must not be empty");
                }
                host = value;
                break;
            case PORT:
                port = parseInt("--port", value, 0, 65_535);
                break;
            case TIMEOUT:
                timeoutSeconds = parseTimeout("--timeout", value);
                break;
            case RETRIES:
                retries = parseInt("--retries", value, 0, Integer.MAX_VALUE);
                break;
            case JSON:
                json = true;
                break;
            case PERSISTENT:
                persistent = true;
                break;
            case IDLE_TIMEOUT:
                idleTimeoutSeconds = parseTimeout("--idle-timeout", value);
                break;
            case MAX_CONNECTIONS:
                maxConnections = parseInt("--max-connections", value, 1, Integer.MAX_VALUE);
                break;
            default:
                throw new AssertionError(option);
        }
    }

    private static int parseInt(String flag, String value, int min, int max) throws UsageException {
        String problem = flag + " must be a whole number from " + min + " to " + max
                + ", not '" + value + "'";
        if (!DIGITS.matcher(value).matches()) {
            throw new UsageException(problem);
        }
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw new UsageException(problem);
            }
            return number;
        } catch (NumberFormatException tooLong) {
            throw new UsageException(problem);
        }
    }

    private static double parseTimeout(String flag, String value) throws UsageException {
        // The regex keeps out what Double.parseDouble would also take: NaN, Infinity, 0x1p3, 1f.
        if (DECIMAL.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS) {
                return seconds;
            }
        }
        throw new UsageException(flag + " must be a number of seconds above 0 and at most "
                + MAX_TIMEOUT_SECONDS + ", not '" + value + "'");
    }

    public boolean helpRequested() {
        return help;
    }

    public boolean hasHost() {
        return host != null;
    }

    public String host(String fallback) {
        return host != null ? host : fallback;
    }

    public int port(int fallback) {
        return port != null ? port : fallback;
    }

    public double timeoutSeconds(double fallback) {
        return timeoutSeconds != null ? timeoutSeconds : fallback;
    }

    public int retries(int fallback) {
        return retries != null ? retries : fallback;
    }

    public boolean json() {
        return json;
    }

    public boolean persistent() {
        return persistent;
    }

    public double idleTimeoutSeconds(double fallback) {
        return idleTimeoutSeconds != null ? idleTimeoutSeconds : fallback;
    }

    public int maxConnections(int fallback) {
        return maxConnections != null ? maxConnections : fallback;
    }

    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }
}
