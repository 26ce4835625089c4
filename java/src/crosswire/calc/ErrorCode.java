package crosswire.calc;

/**
 * Every code an {@code ERR} reply can carry (docs/protocols/calc.md); clients decide on the code,
 * never on the detail. Twin of {@code ErrorCode} in python/crosswire/protocol/calc_errors.py.
 */
public enum ErrorCode {
    SYNTAX,
    UNKNOWN_OP,
    BAD_NUMBER,
    DOMAIN,
    DIV_ZERO,
    TOO_LARGE,
    TOO_LONG,
    BAD_UTF8
}
