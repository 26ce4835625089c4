package crosswire.calc;

/**
 * The calculator's operators, by the token that names them in a request. Twin of
 * {@code Operator} in python/crosswire/protocol/calc_arithmetic.py.
 */
public enum Operator {
    PLUS("+"),
    MINUS("-"),
    TIMES("*"),
    DIVIDE("/"),
    FLOOR_DIVIDE("//"),
    MODULO("%"),
    POWER("^"),
    MIN("min"),
    MAX("max");

    /** Every operator's token, in order, separated by spaces (for error details). */
    public static final String SYMBOLS = java.util.Arrays.stream(values())
            .map(Operator::symbol).collect(java.util.stream.Collectors.joining(" "));

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The operator named {@code symbol}, or {@code null} if there is none. */
    public static Operator fromSymbol(String symbol) {
        for (Operator operator : values()) {
            if (operator.symbol.equals(symbol)) {
                return operator;
            }
        }
        return null;
    }
}
