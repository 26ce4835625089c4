package crosswire.board;

import crosswire.bench.Option;
import crosswire.bench.UsageException;
import crosswire.multicast.MulticastOptions;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The options of the board programs; each accepts a subset, parsed with
 * {@link crosswire.bench.Options.Dashes#ONE} (so a text may start with a dash only after
 * {@code --}). Those the bench or the multicast programs also have are theirs.
 */
final class BoardOptions {
    static final Option<String> HOST = Option.HOST;
    static final Option<Integer> PORT = Option.PORT;
    static final Option<Boolean> JSON = Option.JSON;
    static final Option<Path> STORE = Option.of("--store", Path.class, (name, value) -> {
        if (value.isEmpty()) {
            throw new UsageException(name + " must name a file");
        }
        return Path.of(value);
    });
    static final Option<Inet4Address> GROUP_BASE = MulticastOptions.group("--group-base");
    static final Option<Integer> BOARD_PORT_BASE = Option.integer("--board-port-base", 1, 65_535);
    static final Option<Inet4Address> IFACE = MulticastOptions.IFACE;
    static final Option<Integer> TTL = MulticastOptions.TTL;
    static final Option<Double> HEARTBEAT = Option.seconds("--heartbeat");
    static final Option<String> TOKEN = Option.text("--token");
    /** A sequence number, or {@code all}: the whole history, as 0. */
    static final Option<Long> SINCE = Option.of("--since", Long.class, BoardOptions::since);
    static final Option<Integer> COUNT = MulticastOptions.COUNT;
    static final Option<Double> TIMEOUT = Option.TIMEOUT;
    static final Option<Double> REPAIR_TIMEOUT = Option.seconds("--repair-timeout");
    static final Option<Double> IDLE_TIMEOUT = Option.IDLE_TIMEOUT;
    static final Option<Integer> MAX_CONNECTIONS = Option.MAX_CONNECTIONS;

    /** {@code --since all}: the whole history, as {@code --since 0}. */
    static final long SINCE_ALL = 0;

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private BoardOptions() {
    }

    private static long since(String name, String value) throws UsageException {
        if (value.equals("all")) {
            return SINCE_ALL;
        }
        String problem = name + " must be a sequence number from 0, or all, not '" + value + "'";
        if (!DIGITS.matcher(value).matches()) {
            throw new UsageException(problem);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException tooLong) {
            throw new UsageException(problem);
        }
    }
}
