package crosswire.addr;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * What {@code InetAddress.getByName} makes of a text, asked only when it decides by itself.
 *
 * <p>Java 17 has no "parse this literal" method ({@code InetAddress.ofLiteral} is Java 22), and
 * {@code getByName} quietly hands anything it does not take for a literal to the resolver (DNS).
 * So before asking it, {@link #decidesWithoutResolver} follows the first steps of {@code getByName}
 * itself, with public tools only:
 * <ol>
 * <li>{@code ""}: the loopback address, no lookup. A text in brackets: an IPv6 literal or an
 *     error, never a lookup.</li>
 * <li>A first character that is not a hex digit ({@link Character#digit}, so Unicode digits
 *     count, as in the JDK) or {@code ':'}: a host name. Not asked.</li>
 * <li>A {@code ':'} anywhere: an IPv6 literal, or the error "invalid IPv6 address literal";
 *     never a lookup.</li>
 * <li>Otherwise only the two IPv4 grammars the JDK checks before resorting to the resolver are
 *     asked: its own decimal forms ({@code d.d.d.d}, {@code d.d.d}, {@code d.d}, {@code d}, at
 *     most 15 characters, parts within range), which it accepts, and the BSD
 *     {@code inet_aton} forms (hex {@code 0x}, octal {@code 0} parts), which it refuses as
 *     ambiguous. Anything else (say {@code 256.1.1.1} or {@code 1.2.3.4.}) would be looked up
 *     as a name, so it is not asked.</li>
 * </ol>
 * The answer is still Java's own: {@code getByName} is called for everything that passes.
 * tests/test_addr_agreement.py checks, inside the network sandbox where no lookup can leave the
 * machine, that every vector the gate keeps back is one {@code getByName} would resolve and
 * every one it lets through is one it answers by itself.
 */
public final class Literals {
    static final String INVALID = "invalid";
    static final String AMBIGUOUS = "ambiguous";
    static final String NAME = "name";
    static final String NOT_ASKED =
            "not a literal: InetAddress.getByName would look it up as a host name (not asked)";

    /** The JDK's decimal IPv4 parser gives up on longer texts. */
    private static final int MAX_DECIMAL_LENGTH = 15;
    private static final Pattern DECIMAL_PART = Pattern.compile("[0-9]+");
    private static final Pattern BSD_PART =
            Pattern.compile("0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*");

    private Literals() {
    }

    /** What {@code InetAddress.getByName(text)} answers, or "name" if it would look it up. */
    static Answer answer(String text) {
        if (!decidesWithoutResolver(text)) {
            return Answer.invalid(NAME, NOT_ASKED);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            if (e.getCause() instanceof IllegalArgumentException) {
                return Answer.invalid(AMBIGUOUS, e.getCause().getMessage());
            }
            return Answer.invalid(INVALID, e.getMessage());
        }
        // A literal comes back without a host name ("/127.0.0.1"); "" comes back as localhost.
        if (!text.isEmpty() && !address.toString().startsWith("/")) {
            return Answer.invalid(NAME, "InetAddress.getByName looked it up as a host name");
        }
        return Answer.of(address);
    }

    /** Whether {@code getByName} decides by itself that {@code text} is a literal or not one. */
    static boolean decidesWithoutResolver(String text) {
        if (text.isEmpty() || text.charAt(0) == '[') {
            return true;
        }
        char first = text.charAt(0);
        if (first != ':' && Character.digit(first, 16) == -1) {
            return false;
        }
        return text.indexOf(':') >= 0 || isDecimalForm(text) || isBsdForm(text);
    }

    /** Java's own IPv4 forms: 1 to 4 decimal parts, the last filling the remaining bytes. */
    static boolean isDecimalForm(String text) {
        return text.length() <= MAX_DECIMAL_LENGTH && partsInRange(text, DECIMAL_PART, false);
    }

    /** The BSD {@code inet_aton} forms: decimal, octal (leading 0) or hex (0x) parts. */
    static boolean isBsdForm(String text) {
        return partsInRange(text, BSD_PART, true);
    }

    private static boolean partsInRange(String text, Pattern part, boolean bsdRadix) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return false;
        }
        for (int i = 0; i < parts.length; i++) {
            if (!part.matcher(parts[i]).matches()) {
                return false;
            }
            int bytes = i == parts.length - 1 ? 4 - i : 1;
            if (value(parts[i], bsdRadix).bitLength() > 8 * bytes) {
                return false;
            }
        }
        return true;
    }

    private static BigInteger value(String part, boolean bsdRadix) {
        if (!bsdRadix) {
            return new BigInteger(part, 10);
        }
        if (part.startsWith("0x") || part.startsWith("0X")) {
            return new BigInteger(part.substring(2), 16);
        }
        return part.startsWith("0") ? new BigInteger("0" + part, 8) : new BigInteger(part, 10);
    }
}
