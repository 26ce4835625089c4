package crosswire.bench;

/**
 * One JSON object built field by field, rendered without spaces and in pure ASCII: every
 * character outside printable ASCII is escaped, as Python's {@code json.dumps} does by default.
 */
public final class JsonLine {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder("{");

    private JsonLine() {
    }

    /** Starts an event object whose first field is {@code "event": name}. */
    public static JsonLine event(String name) {
        return new JsonLine().put("event", name);
    }

    public JsonLine put(String key, String value) {
        key(key);
        quote(value);
        return this;
    }

    public JsonLine put(String key, long value) {
        key(key);
        text.append(value);
        return this;
    }

    /** Adds a float; JSON has no NaN or infinity, so those are refused. */
    public JsonLine put(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " is not finite: " + value);
        }
        key(key);
        text.append(value);
        return this;
    }

    private void key(String key) {
        if (text.length() > 1) {
            text.append(',');
        }
        quote(key);
        text.append(':');
    }

    private void quote(String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': text.append("\\\""); break;
                case '\\': text.append("\\\\"); break;
                case '\b': text.append("\\b"); break;
                case '\f': text.append("\\f"); break;
                case '\n': text.append("\\n"); break;
                case '\r': text.append("\\r"); break;
                case '\t': text.append("\\t"); break;
                default:
                    if (c >= 0x20 && c < 0x7f) {
                        text.append(c);
                    } else {
                        // A char is one UTF-16 unit, so characters beyond U+FFFF come out as
                        // the surrogate pair JSON expects.
                        text.append("\\u")
                                .append(HEX_DIGITS[(c >> 12) & 0xf])
                                .append(HEX_DIGITS[(c >> 8) & 0xf])
                                .append(HEX_DIGITS[(c >> 4) & 0xf])
                                .append(HEX_DIGITS[c & 0xf]);
                    }
            }
        }
        text.append('"');
    }

    @Override
    public String toString() {
        return text + "}";
    }
}
