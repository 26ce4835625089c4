package crosswire.addr;

import crosswire.bench.Hex;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * What one parser made of one text: an address (family, text form, packed bytes) or a reason
 * it is none ("invalid", "ambiguous", "name"), as crosswire.protocol.addresses writes it.
 */
final class Answer {
    final boolean valid;
    final String family;
    final String text;
    final String packed;
    final String reason;
    final String error;

    private Answer(boolean valid, String family, String text, String packed, String reason,
            String error) {
        this.valid = valid;
        this.family = family;
        this.text = text;
        this.packed = packed;
        this.reason = reason;
        this.error = error;
    }

    static Answer of(InetAddress address) {
        String family = address instanceof Inet4Address ? "IPv4" : "IPv6";
        return new Answer(true, family, address.getHostAddress(), Hex.encode(address.getAddress()),
                null, null);
    }

    static Answer invalid(String reason, String error) {
        return new Answer(false, null, null, null, reason, error);
    }

    Json toJson() {
        if (valid) {
            return Json.object().put("valid", true).put("family", family).put("text", text)
                    .put("packed", packed);
        }
        return Json.object().put("valid", false).put("reason", reason).put("error", error);
    }

    /** The readable form: "IPv4 127.0.0.1 (packed 7f000001)" or "invalid: why". */
    String describe() {
        return valid ? family + " " + text + " (packed " + packed + ")" : reason + ": " + error;
    }
}
