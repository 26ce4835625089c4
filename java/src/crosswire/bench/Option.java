package crosswire.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One command-line option as a program declares it: its name ({@code --port}) and how its
 * value is read and checked; a flag takes no value. {@link Options} parses a command line
 * against the options a program accepts.
 *
 * <p>The options of docs/bench-protocol.md are declared here ({@code --host}, {@code --port},
 * {@code --timeout}, {@code --retries}, {@code --json}, tcp-utf's {@code --persistent}, and the
 * TCP servers' {@code --idle-timeout} and {@code --max-connections}); the multicast, board and
 * addr programs declare theirs beside them, reusing these where they mean the same.
 */
public final class Option<T> {

    /** Reads an option's value; the message of its UsageException is what the user sees. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(String name, String value) throws UsageException;
    }

    /** Longer than a bench run can sensibly wait, and far below where nanoseconds overflow. */
    public static final double MAX_SECONDS = 86_400.0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");

    public static final Option<String> HOST = nonEmpty("--host");
    public static final Option<Integer> PORT = integer("--port", 0, 65_535);
    public static final Option<Double> TIMEOUT = seconds("--timeout");
    public static final Option<Integer> RETRIES = integer("--retries", 0, Integer.MAX_VALUE);
    public static final Option<Boolean> JSON = flag("--json");
    public static final Option<Boolean> PERSISTENT = flag("--persistent");
    public static final Option<Double> IDLE_TIMEOUT = seconds("--idle-timeout");
    public static final Option<Integer> MAX_CONNECTIONS =
            integer("--max-connections", 1, Integer.MAX_VALUE);

    final String name;
    private final Class<T> type;
    /** Null for a flag. */
    private final Reader<T> reader;

    private Option(String name, Class<T> type, Reader<T> reader) {
        this.name = name;
        this.type = type;
        this.reader = reader;
    }

    /** An option with a value of {@code type}, read by {@code reader}. */
    public static <T> Option<T> of(String name, Class<T> type, Reader<T> reader) {
        return new Option<>(name, type, reader);
    }

    /** An option without a value: given or not. */
    public static Option<Boolean> flag(String name) {
        return new Option<>(name, Boolean.class, null);
    }

    /** Any text, even empty. */
    public static Option<String> text(String name) {
        return of(name, String.class, (flag, value) -> value);
    }

    /** Any text but the empty one. */
    public static Option<String> nonEmpty(String name) {
        return of(name, String.class, (flag, value) -> {
            if (value.isEmpty()) {
                throw new UsageException(flag + " must not be empty");
            }
            return value;
        });
    }

    /** A whole number from {@code min} to {@code max}, in decimal digits only. */
    public static Option<Integer> integer(String name, int min, int max) {
        return of(name, Integer.class, (flag, value) -> wholeNumber(flag, value, min, max));
    }

    /** A number of seconds above 0 and at most {@link #MAX_SECONDS}. */
    public static Option<Double> seconds(String name) {
        return of(name, Double.class, (flag, value) -> {
            double seconds = decimal(value);
            if (seconds > 0 && seconds <= MAX_SECONDS) {
                return seconds;
            }
            throw new UsageException(flag + " must be a number of seconds above 0 and at most "
                    + MAX_SECONDS + ", not '" + value + "'");
        });
    }

    /** A number of seconds from 0 to {@link #MAX_SECONDS}. */
    public static Option<Double> secondsFromZero(String name) {
        return of(name, Double.class, (flag, value) -> {
            double seconds = decimal(value);
            if (seconds <= MAX_SECONDS) {
                return seconds;
            }
            throw new UsageException(flag + " must be a number of seconds from 0 to "
                    + MAX_SECONDS + ", not '" + value + "'");
        });
    }

    /** An IPv4 literal; see {@link #ipv4Literal}. */
    public static Option<Inet4Address> ipv4(String name) {
        return of(name, Inet4Address.class, Option::ipv4Literal);
    }

    boolean takesValue() {
        return reader != null;
    }

    /** The value of this option given as {@code value} (null for a flag). */
    T read(String value) throws UsageException {
        return reader == null ? type.cast(Boolean.TRUE) : reader.read(name, value);
    }

    T cast(Object value) {
        return type.cast(value);
    }

    /** {@code value} as a whole number from {@code min} to {@code max}, for option {@code name}. */
    public static int wholeNumber(String name, String value, int min, int max)
            throws UsageException {
        String problem = name + " must be a whole number from " + min + " to " + max
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

    /** {@code value} as a non-negative decimal number, or NaN if it is not one. */
    private static double decimal(String value) {
        // The regex keeps out what Double.parseDouble would also take: NaN, Infinity, 0x1p3, 1f.
        return DECIMAL.matcher(value).matches() ? Double.parseDouble(value) : Double.NaN;
    }

    /** {@code value} as an IPv4 literal; never a name, so parsing never asks DNS. */
    public static Inet4Address ipv4Literal(String name, String value) throws UsageException {
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
        throw new UsageException(name + " must be an IPv4 address like 127.0.0.1, not '"
                + value + "'");
    }
}
