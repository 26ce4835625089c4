package crosswire.multicast;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;

/**
 * IP multicast facts, without sockets: the group range, the ack, the "any interface" address.
 * The twin of {@code crosswire.protocol.multicast}.
 *
 * <p>The lecture says groups are 224.0.0.0–230.255.255.255; class D is
 * 224.0.0.0–239.255.255.255 (224.0.0.0/4), and 239.0.0.0/8 is the administratively scoped
 * block meant for private use, which the bench uses.
 */
public final class Multicast {
    /** What a receiver unicasts back for every datagram. */
    static final byte[] ACK = "ack".getBytes(StandardCharsets.US_ASCII);

    /** {@code --iface} default: the OS picks the interface. */
    static final String ANY_INTERFACE = "0.0.0.0";

    private Multicast() {
    }

    /** Whether {@code address} is in class D, 224.0.0.0/4 (as isMulticastAddress says). */
    public static boolean isGroup(Inet4Address address) {
        return (address.getAddress()[0] & 0xf0) == 0xe0;
    }

    /** Why {@code text} is not a group, in the Python twin's words. */
    static String notAGroup(String text) {
        return text + " is not a multicast group (class D is 224.0.0.0 to 239.255.255.255)";
    }
}
