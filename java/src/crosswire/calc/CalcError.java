package crosswire.calc;

/**
 * A request the calculator refuses: {@link #code()} for programs, {@link #detail()} (ASCII, one
 * line) for people. A server turns it into an {@code ERR <code> <detail>} reply and keeps
 * serving. Twin of {@code CalcError} in python/crosswire/protocol/calc_errors.py.
 */
public final class CalcError extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String detail;

    public CalcError(ErrorCode code, String detail) {
        super(code + " " + detail);
        this.code = code;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
