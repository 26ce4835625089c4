package crosswire.addr;

import java.util.List;

/**
 * One JSON object built field by field, as Python's {@code json.dumps(..., separators=(",", ":"))}
 * writes it: no spaces, pure ASCII. Unlike {@code crosswire.bench.JsonLine} it nests objects and
 * arrays and writes booleans and null, which the addr tool's answers need.
 */
final class Json {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder("{");

    private Json() {
    }

    static Json object() {
        return new Json();
    }

    /** An event object whose first field is {@code "event": name}. */
    static Json event(String name) {
        return new Json().put("event", name);
    }

    /** Adds a string field; {@code null} is written as JSON null. */
    Json put(String key, String value) {
        key(key);
        if (value == null) {
            text.append("null");
        } else {
            quote(text, value);
        }
        return this;
    }

    Json put(String key, long value) {
        key(key);
        text.append(value);
        return this;
    }

    /** Adds a float; JSON has no NaN or infinity, so those are refused. */
    Json put(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " is not finite: " + value);
        }
        key(key);
        text.append(value);
        return this;
    }

    Json put(String key, boolean value) {
        key(key);
        text.append(value);
        return this;
    }

    /** Adds a nested object; {@code null} is written as JSON null. */
    Json put(String key, Json value) {
        key(key);
        text.append(value == null ? "null" : value.toString());
        return this;
    }

    Json put(String key, List<Json> values) {
        key(key);
        text.append('[');
        for (int i = 0; i < values.size(); i++) {
            text.append(i == 0 ? "" : ",").append(values.get(i));
        }
        text.append(']');
        return this;
    }

    private void key(String key) {
        if (text.length() > 1) {
            text.append(',');
        }
        quote(text, key);
        text.append(':');
    }

    /** {@code value} as a JSON string, every character outside printable ASCII escaped. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder();
        quote(out, value);
        return out.toString();
    }

    private static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX_DIGITS[(c >> 12) & 0xf])
                                .append(HEX_DIGITS[(c >> 8) & 0xf])
                                .append(HEX_DIGITS[(c >> 4) & 0xf])
                                .append(HEX_DIGITS[c & 0xf]);
                    }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return text + "}";
    }
}
