package crosswire.calc;

/**
 * A reply: {@link #code()} is {@code null} for OK, and {@link #body()} is the result or the error
 * detail. Twin of {@code CalcReply} and {@code parse_reply} in python/crosswire/protocol/calc.py.
 */
public record CalcReply(ErrorCode code, String body) {
    /** A server's reply that is not {@code OK <result>} or {@code ERR <code> <detail>}. */
    public static final class BadReply extends Exception {
        private static final long serialVersionUID = 1L;

        public BadReply(String message) {
            super(message);
        }
    }

    public static CalcReply ok(String result) {
        return new CalcReply(null, result);
    }

    public static CalcReply error(CalcError error) {
        return new CalcReply(error.code(), error.detail());
    }

    public boolean isOk() {
        return code == null;
    }

    /** The reply as it goes on the wire (without a newline). */
    public String text() {
        if (code == null) {
            return "OK " + body;
        }
        return "ERR " + code + " " + body;
    }

    /** The reply a server sent (without its newline). */
    public static CalcReply parse(String text) throws BadReply {
        String[] kindAndRest = partition(text);
        if (kindAndRest[0].equals("OK") && !kindAndRest[1].isEmpty()) {
            return ok(kindAndRest[1]);
        }
        String[] codeAndDetail = partition(kindAndRest[1]);
        ErrorCode code = codeNamed(codeAndDetail[0]);
        if (kindAndRest[0].equals("ERR") && code != null && !codeAndDetail[1].isEmpty()) {
            return new CalcReply(code, codeAndDetail[1]);
        }
        String shown = text.length() > 80 ? text.substring(0, 80) : text;
        throw new BadReply("expected 'OK <result>' or 'ERR <code> <message>', got '" + shown + "'");
    }

    /** {@code text} split at its first space, like Python's {@code str.partition(" ")}. */
    static String[] partition(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            return new String[] {text, ""};
        }
        return new String[] {text.substring(0, space), text.substring(space + 1)};
    }

    private static ErrorCode codeNamed(String name) {
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }
}
