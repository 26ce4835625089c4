package crosswire.calc;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One parsed request {@code OP A B}. Twin of {@code CalcRequest} and {@code parse_request} in
 * python/crosswire/protocol/calc.py.
 */
public record CalcRequest(Operator operator, Operand a, Operand b) {
    private static final Pattern BLANKS = Pattern.compile("[ \t]+");

    /** The request in {@code text} (no terminator, length already checked). */
    public static CalcRequest parse(String text) throws CalcError {
        List<String> tokens = new ArrayList<>();
        for (String token : BLANKS.split(text)) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        if (tokens.isEmpty()) {
            throw new CalcError(ErrorCode.SYNTAX, "empty request; expected OP A B");
        }
        if (tokens.size() != 3) {
            throw new CalcError(ErrorCode.SYNTAX, "expected 3 tokens OP A B separated by spaces, got "
                    + tokens.size());
        }
        Operator operator = Operator.fromSymbol(tokens.get(0));
        if (operator == null) {
            throw new CalcError(ErrorCode.UNKNOWN_OP, "unknown operator; expected one of " + Operator.SYMBOLS);
        }
        return new CalcRequest(operator, Operand.parse(tokens.get(1), "first"),
                Operand.parse(tokens.get(2), "second"));
    }
}
