package crosswire.multicast;

import crosswire.bench.Hex;
import crosswire.bench.UsageException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of the multicast programs (docs/bench-protocol.md, "multicast"); each program
 * accepts a subset, everything else is kept as positional arguments. Both {@code --opt value}
 * and {@code --opt=value} are accepted, a later option overrides an earlier one, and {@code --}
 * ends the options. Addresses must be IPv4 literals, so parsing never asks DNS.
 */
final class MulticastOptions {

    /** One option; each program accepts a subset. */
    enum Option {
        GROUP("--group", true),
        PORT("--port", true),
        IFACE("--iface", true),
        TTL("--ttl", true),
        JSON("--json", false),
        ACK_TIMEOUT("--ack-timeout", true),
        EXPECT_ACKS("--expect-acks", true),
        COUNT("--count", true),
        TIMEOUT("--timeout", true),
        MESSAGE_HEX("--message-hex", true),
        WAIT_START("--wait-start", false);

        final String flag;
        final boolean takesValue;

        Option(String flag, boolean takesValue) {
            this.flag = flag;
            this.takesValue = takesValue;
        }
    }

    /** Longer than a bench run can sensibly wait, and far below where nanoseconds overflow. */
    static final double MAX_SECONDS = 86_400.0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

    private Inet4Address group;
    private Integer port;
    private Inet4Address iface;
    private Integer ttl;
    private boolean json;
    private Double ackTimeoutSeconds;
    private Integer expectAcks;
    private Integer count;
    private Double timeoutSeconds;
    private byte[] messageHex;
    private boolean waitStart;
    private boolean help;
    private final List<String> positional = new ArrayList<>();

    private MulticastOptions() {
    }

    /** Parses {@code args}, accepting only the {@code accepted} options (and -h/--help). */
    static MulticastOptions parse(String[] args, Set<Option> accepted) throws UsageException {
        MulticastOptions parsed = new MulticastOptions();
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
            case GROUP:
                group = parseIpv4("--group", value);
                if (!Multicast.isGroup(group)) {
                    throw new UsageException("--group: " + Multicast.notAGroup(value));
                }
                break;
            case PORT:
                // A group has no port 0: every member must name the same port.
                port = parseInt("--port", value, 1, 65_535);
                break;
            case IFACE:
                iface = parseIpv4("--iface", value);
                break;
            case TTL:
                ttl = parseInt("--ttl", value, 0, 255);
                break;
            case JSON:
                json = true;
                break;
            case ACK_TIMEOUT:
                ackTimeoutSeconds = parseSeconds("--ack-timeout", value);
                break;
            case EXPECT_ACKS:
                expectAcks = parseInt("--expect-acks", value, 0, Integer.MAX_VALUE);
                break;
            case COUNT:
                count = parseInt("--count", value, 0, Integer.MAX_VALUE);
                break;
            case TIMEOUT:
                timeoutSeconds = parseSeconds("--timeout", value);
                break;
            case MESSAGE_HEX:
                try {
                    messageHex = Hex.decode(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--message-hex is not hexadecimal: " + e.getMessage());
                }
                break;
            case WAIT_START:
                waitStart = true;
                break;
            default:
                throw new AssertionError(option);
        }
    }

    private static Inet4Address parseIpv4(String flag, String value) throws UsageException {
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
                    // A 4-byte array always gives an Inet4Address, without a name lookup.
                    return (Inet4Address) InetAddress.getByAddress(bytes);
                } catch (UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }
        throw new UsageException(flag + " must be an IPv4 address like 127.0.0.1, not '"
                + value + "'");
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

    private static double parseSeconds(String flag, String value) throws UsageException {
        // The regex keeps out what Double.parseDouble would also take: NaN, Infinity, 0x1p3, 1f.
        if (DECIMAL.matcher(value).matches()) {
            double seconds = Double.parseDouble(value);
            if (seconds <= MAX_SECONDS) {
                return seconds;
            }
        }
        throw new UsageException(flag + " must be a number of seconds from 0 to " + MAX_SECONDS
                + ", not '" + value + "'");
    }

    boolean helpRequested() {
        return help;
    }

    /** The group; {@code fallback} is one of the programs' own defaults, a valid group. */
    Inet4Address group(String fallback) throws UsageException {
        return group != null ? group : parseIpv4("--group", fallback);
    }

    int port(int fallback) {
        return port != null ? port : fallback;
    }

    /** The interface address; 0.0.0.0 (the OS chooses) if none was given. */
    Inet4Address iface() throws UsageException {
        return iface != null ? iface : parseIpv4("--iface", Multicast.ANY_INTERFACE);
    }

    int ttl(int fallback) {
        return ttl != null ? ttl : fallback;
    }

    boolean json() {
        return json;
    }

    double ackTimeoutSeconds(double fallback) {
        return ackTimeoutSeconds != null ? ackTimeoutSeconds : fallback;
    }

    /** How many acks to wait for per message; null: collect until the ack timeout. */
    Integer expectAcks() {
        return expectAcks;
    }

    int count(int fallback) {
        return count != null ? count : fallback;
    }

    double timeoutSeconds(double fallback) {
        return timeoutSeconds != null ? timeoutSeconds : fallback;
    }

    /** The message given with --message-hex, or null. */
    byte[] messageHex() {
        return messageHex == null ? null : messageHex.clone();
    }

    boolean waitStart() {
        return waitStart;
    }

    List<String> positional() {
        return Collections.unmodifiableList(positional);
    }
}
