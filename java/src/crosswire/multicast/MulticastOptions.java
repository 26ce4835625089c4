package crosswire.multicast;

import crosswire.bench.Hex;
import crosswire.bench.Option;
import crosswire.bench.UsageException;
import java.net.Inet4Address;

/**
 * The options of the multicast programs (docs/bench-protocol.md, "multicast"); each program
 * accepts a subset, parsed with {@link crosswire.bench.Options.Dashes#ONE}. Addresses must be
 * IPv4 literals, so parsing never asks DNS.
 */
public final class MulticastOptions {
    static final Option<Inet4Address> GROUP = group("--group");
    /** A group has no port 0: every member must name the same port. */
    static final Option<Integer> PORT = Option.integer("--port", 1, 65_535);
    public static final Option<Inet4Address> IFACE = Option.ipv4("--iface");
    public static final Option<Integer> TTL = Option.integer("--ttl", 0, 255);
    static final Option<Boolean> JSON = Option.JSON;
    static final Option<Double> ACK_TIMEOUT = Option.secondsFromZero("--ack-timeout");
    static final Option<Integer> EXPECT_ACKS =
            Option.integer("--expect-acks", 0, Integer.MAX_VALUE);
    public static final Option<Integer> COUNT = Option.integer("--count", 0, Integer.MAX_VALUE);
    static final Option<Double> TIMEOUT = Option.secondsFromZero("--timeout");
    static final Option<byte[]> MESSAGE_HEX = Option.of("--message-hex", byte[].class,
            (name, value) -> {
                try {
                    return Hex.decode(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(name + " is not hexadecimal: " + e.getMessage());
                }
            });
    static final Option<Boolean> WAIT_START = Option.flag("--wait-start");

    /** {@code --iface} default: 0.0.0.0, the OS picks the interface. */
    public static final Inet4Address ANY_INTERFACE = address(Multicast.ANY_INTERFACE);

    private MulticastOptions() {
    }

    /** An option naming a multicast group: an IPv4 literal in class D. */
    public static Option<Inet4Address> group(String name) {
        return Option.of(name, Inet4Address.class, (flag, value) -> {
            Inet4Address group = Option.ipv4Literal(flag, value);
            if (!Multicast.isGroup(group)) {
                throw new UsageException(flag + ": " + Multicast.notAGroup(value));
            }
            return group;
        });
    }

    /** An IPv4 literal that a program spells itself (a default): a typo in it is a bug. */
    public static Inet4Address address(String literal) {
        try {
            return Option.ipv4Literal("address", literal);
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
