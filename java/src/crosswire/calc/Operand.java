package crosswire.calc;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number as written in a request: its value is {@code units / 10^scale}; {@code isInteger} says
 * it was written without a decimal point, {@code digits} how many digits were written (leading
 * and trailing zeros included). Twin of {@code Operand} and {@code parse_operand} in
 * python/crosswire/protocol/calc_numbers.py.
 */
public record Operand(BigInteger units, int scale, boolean isInteger, int digits) {
    // ASCII digits only, like the Python twin.
    private static final Pattern OPERAND = Pattern.compile("([+-]?)([0-9]+)(?:\\.([0-9]+))?");

    /** The operand {@code token} denotes; {@code which} ("first" or "second") goes into the error. */
    public static Operand parse(String token, String which) throws CalcError {
        Matcher match = OPERAND.matcher(token);
        if (!match.matches()) {
            throw new CalcError(ErrorCode.BAD_NUMBER, which + " operand is not a number (expected"
                    + " digits with an optional sign and decimal point, like -12.5)");
        }
        String sign = match.group(1);
        String whole = match.group(2);
        String fraction = match.group(3) == null ? "" : match.group(3);
        int digits = whole.length() + fraction.length();
        if (digits > CalcNumbers.MAX_OPERAND_DIGITS) {
            throw new CalcError(ErrorCode.TOO_LARGE, which + " operand has more than "
                    + CalcNumbers.MAX_OPERAND_DIGITS + " digits");
        }
        BigInteger magnitude = new BigInteger(whole + fraction);
        return new Operand(sign.equals("-") ? magnitude.negate() : magnitude, fraction.length(),
                match.group(3) == null, digits);
    }
}
