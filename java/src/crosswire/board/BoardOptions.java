package crosswire.board;

import crosswire.bench.UsageException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of the board programs; each accepts a subset, everything else is positional.
 * Both {@code --opt value} and {@code --opt=value} are accepted, a later option overrides an
 * earlier one, and {@code --} ends the options (so a text may start with a dash). The
 * conventions are those of {@code crosswire.bench.BenchArgs} and the multicast programs'
 * options, which have no room for these.
 */
final class BoardOptions {

    /** One option. */
    enum Option {
        HOST("--host", true),
        PORT("--port", true),
        JSON("--json", false),
        STORE("--store", true),
        GROUP_BASE("--group-base", true),
        BOARD_PORT_BASE("--board-port-base", true),
        IFACE("--iface", true),
        TTL("--ttl", true),
        HEARTBEAT("--heartbeat", true),
        TOKEN("--token", true),
        SINCE("--since", true),
        COUNT("--count", true),
        TIMEOUT("--timeout", true),
        REPAIR_TIMEOUT("--repair-timeout", true),
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
    static final double MAX_SECONDS = 86_400.0;
    /** {@code --since all}: the whole history, as {@code --since 0}. */
    static final long SINCE_ALL = 0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

    private String host;
    private Integer port;
    private boolean json;
    private Path store;
    private Inet4Address groupBase;
    private Integer boardPortBase;
    private Inet4Address iface;
    private Integer ttl;
    private Double heartbeatSeconds;
    private String token;
    private Long since;
    private Integer count;
    private Double timeoutSeconds;
    private Double repairTimeoutSeconds;
    private Double idleTimeoutSeconds;
    private Integer maxConnections;
    private boolean help;
    private final List<String> positional = new ArrayList<>();

    private BoardOptions() {
    }

    /** Parses {@code args}, accepting only the {@code accepted} options (and -h/--help). */
    static BoardOptions parse(String[] args, Set<Option> accepted) throws UsageException {
        BoardOptions parsed = new BoardOptions();
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
            if (!arg.startsWith("-") || arg.equals("-")) {
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

    private static Option find(String flag, Set<Option> accepted) throws UsageException {
        for (Option option : accepted) {
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
            case JSON:
                json = true;
                break;
            case STORE:
                if (value.isEmpty()) {
                    throw new UsageException("--store must name a file");
                }
                store = Path.of(value);
                break;
            case GROUP_BASE:
                groupBase = parseIpv4("--group-base", value);
                if ((groupBase.getAddress()[0] & 0xf0) != 0xe0) {
                    throw new UsageException("--group-base: " + value + " is not a multicast"
                            + " group (class D is 224.0.0.0 to 239.255.255.255)");
                }
                break;
            case BOARD_PORT_BASE:
                boardPortBase = parseInt("--board-port-base", value, 1, 65_535);
                break;
            case IFACE:
                iface = parseIpv4("--iface", value);
                break;
            case TTL:
                ttl = parseInt("--ttl", value, 0, 255);
                break;
            case HEARTBEAT:
                heartbeatSeconds = parsePositiveSeconds("--heartbeat", value);
                break;
            case TOKEN:
                token = value;
                break;
            case SINCE:
                since = value.equals("all") ? SINCE_ALL
                        : parseLong("--since", value, "a sequence number from 0, or all");
                break;
            case COUNT:
                count = parseInt("--count", value, 0, Integer.MAX_VALUE);
                break;
            case TIMEOUT:
                timeoutSeconds = parsePositiveSeconds("--timeout", value);
                break;
            case REPAIR_TIMEOUT:
                repairTimeoutSeconds = parsePositiveSeconds("--repair-timeout", value);
                break;
            case IDLE_TIMEOUT:
                idleTimeoutSeconds = parsePositiveSeconds("--idle-timeout", value);
                break;
            case MAX_CONNECTIONS:
                maxConnections = parseInt("--max-connections", value, 1, Integer.MAX_VALUE);
                break;
            default:
                throw new AssertionError(option);
        }
    }

    /** An IPv4 literal; never a name, so parsing never asks DNS. */
    static Inet4Address parseIpv4(String flag, String value) throws UsageException {
        Matcher quad = DOTTED_QUAD.matcher(value);
        if (quad.matches()) {
            byte[] bytes = new byte[4];
            boolean inRange = true;
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(quad.group(i + 1));
                inRange &= part <= 255;
                bytes[i] = (byte) part;
            }
            if (inRange) {
                try {
                    return (Inet4Address) InetAddress.getByAddress(bytes);
                } catch (UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }
        throw new UsageException(flag + " must be an IPv4 address like 127.0.0.1, not '"
                + value + "'");
    }

    private static int parseInt(String flag, String value, int min, int max)
            throws UsageException {
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

    private static long parseLong(String flag, String value, String what)
            throws UsageException {
        String problem = flag + " must be " + what + ", not '" + value + "'";
        if (!DIGITS.matcher(value).matches()) {
            throw new UsageException(problem);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException tooLong) {
            throw new UsageException(problem);
        }
    }

    private static double parsePositiveSeconds(String flag, String value) throws UsageException {
        // The regex keeps out what Double.parseDouble would also take: NaN, Infinity, 0x1p3, 1f.
        if (DECIMAL.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            if (seconds > 0 && seconds <= MAX_SECONDS) {
                return seconds;
            }
        }
        throw new UsageException(flag + " must be a number of seconds above 0 and at most "
                + MAX_SECONDS + ", not '" + value + "'");
    }

    boolean helpRequested() {
        return help;
    }

    String host(String fallback) {
        return host != null ? host : fallback;
    }

    int port(int fallback) {
        return port != null ? port : fallback;
    }

    boolean json() {
        return json;
    }

    Path store(String fallback) {
        return store != null ? store : Path.of(fallback);
    }

    Inet4Address groupBase(String fallback) throws UsageException {
        return groupBase != null ? groupBase : parseIpv4("--group-base", fallback);
    }

    int boardPortBase(int fallback) {
        return boardPortBase != null ? boardPortBase : fallback;
    }

    /** The interface address; 0.0.0.0 (the OS chooses) if none was given. */
    Inet4Address iface() throws UsageException {
        return iface != null ? iface : parseIpv4("--iface", BoardSockets.ANY_INTERFACE);
    }

    int ttl(int fallback) {
        return ttl != null ? ttl : fallback;
    }

    double heartbeatSeconds(double fallback) {
        return heartbeatSeconds != null ? heartbeatSeconds : fallback;
    }

    /** The token, or null if none was given. */
    String token() {
        return token;
    }

    /** {@code --since}: null if not given (start at the latest), 0 for {@code all}. */
    Long since() {
        return since;
    }

    /** {@code --count}: null if not given. */
    Integer count() {
        return count;
    }

    /** {@code --timeout}: null if not given. */
    Double timeoutSeconds() {
        return timeoutSeconds;
    }

    double repairTimeoutSeconds(double fallback) {
        return repairTimeoutSeconds != null ? repairTimeoutSeconds : fallback;
    }

    double idleTimeoutSeconds(double fallback) {
        return idleTimeoutSeconds != null ? idleTimeoutSeconds : fallback;
    }

    int maxConnections(int fallback) {
        return maxConnections != null ? maxConnections : fallback;
    }

    double timeoutSeconds(double fallback) {
        return timeoutSeconds != null ? timeoutSeconds : fallback;
    }

    List<String> positional() {
        return Collections.unmodifiableList(positional);
    }
}
