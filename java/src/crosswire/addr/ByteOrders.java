package crosswire.addr;

import crosswire.bench.Hex;
import crosswire.bench.UsageException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A number as 16- and 32-bit integers in host and network byte order. Java has no
 * {@code htons}: a {@link ByteBuffer} writes in {@link ByteOrder#nativeOrder()} (host order) or
 * {@link ByteOrder#BIG_ENDIAN} (network order, and every Java stream's order); reading the
 * network-order bytes back in host order gives what C's {@code htons}/{@code htonl} return.
 * Twin of Python's {@code crosswire.protocol.addresses.byte_orders}.
 */
final class ByteOrders {
    static final long MAX_U16 = 0xFFFFL;
    static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final Pattern NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]+");

    final long value;
    final String hostOrder;
    final byte[] host16;
    final byte[] network16;
    final int htons;
    final byte[] host32;
    final byte[] network32;
    final long htonl;

    ByteOrders(long value) {
        ByteOrder host = ByteOrder.nativeOrder();
        this.value = value;
        this.hostOrder = host == ByteOrder.LITTLE_ENDIAN ? "little" : "big";
        this.host16 = ByteBuffer.allocate(2).order(host).putShort((short) value).array();
        this.network16 = ByteBuffer.allocate(2).order(ByteOrder.BIG_ENDIAN)
                .putShort((short) value).array();
        this.htons = ByteBuffer.wrap(network16).order(host).getShort() & 0xFFFF;
        this.host32 = ByteBuffer.allocate(4).order(host).putInt((int) value).array();
        this.network32 = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN)
                .putInt((int) value).array();
        this.htonl = ByteBuffer.wrap(network32).order(host).getInt() & MAX_U32;
    }

    /** {@code order}'s argument: decimal or 0x-hexadecimal, 0 to 2^32 - 1. */
    static long parseNumber(String text) throws UsageException {
        if (!NUMBER.matcher(text).matches()) {
            throw new UsageException("expected a number (decimal or 0x hex), not '" + text + "'");
        }
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        BigInteger number = hex ? new BigInteger(text.substring(2), 16) : new BigInteger(text, 10);
        if (number.bitLength() > 32) {
            throw new UsageException(text + " does not fit in 32 bits (at most " + MAX_U32 + ")");
        }
        return number.longValue();
    }

    boolean fits16() {
        return value <= MAX_U16;
    }

    Json toJson() {
        Json u16 = fits16() ? Json.object().put("host", Hex.encode(host16))
                .put("network", Hex.encode(network16)).put("htons", htons) : null;
        Json u32 = Json.object().put("host", Hex.encode(host32))
                .put("network", Hex.encode(network32)).put("htonl", htonl);
        return Json.event("order").put("value", value).put("host_order", hostOrder)
                .put("u16", u16).put("u32", u32);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("order " + value + " (0x" + Long.toHexString(value) + "): this host is "
                + hostOrder + "-endian");
        if (fits16()) {
            lines.add(String.format(Locale.ROOT,
                    "  16-bit: host order %s, network order %s, htons = %d (0x%04x)",
                    spaced(host16), spaced(network16), htons, htons));
        } else {
            lines.add("  16-bit: does not fit");
        }
        lines.add(String.format(Locale.ROOT,
                "  32-bit: host order %s, network order %s, htonl = %d (0x%08x)",
                spaced(host32), spaced(network32), htonl, htonl));
        return lines;
    }

    private static String spaced(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(Hex.encode(new byte[] {b}));
        }
        return text.toString();
    }
}
