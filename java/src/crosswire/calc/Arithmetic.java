package crosswire.calc;

import java.math.BigInteger;

/**
 * How each operator is evaluated (docs/protocols/calc.md), never with a script engine. Every
 * result is computed exactly first. In integer mode (both operands written without a point, and
 * not {@code /}, and not {@code ^} with a negative exponent) that exact integer is the result;
 * otherwise the exact value, a ratio of integers, is rounded once by
 * {@link CalcNumbers#roundRatio}. Twin of python/crosswire/protocol/calc_arithmetic.py.
 */
public final class Arithmetic {
    public static final int MAX_EXPONENT = 10_000;
    public static final int MAX_POWER_DIGITS = 20_000;

    private Arithmetic() {
    }

    static CalcError tooLargeResult() {
        return new CalcError(ErrorCode.TOO_LARGE,
                "result would have more than " + CalcNumbers.MAX_RESULT_DIGITS + " digits");
    }

    /** The canonical text of {@code a operator b}; throws for DIV_ZERO, DOMAIN, TOO_LARGE. */
    public static String evaluate(Operator operator, Operand a, Operand b) throws CalcError {
        if (operator == Operator.POWER) {
            return power(a, b);
        }
        boolean divides = operator == Operator.DIVIDE || operator == Operator.FLOOR_DIVIDE
                || operator == Operator.MODULO;
        if (divides && b.units().signum() == 0) {
            throw new CalcError(ErrorCode.DIV_ZERO, "division by zero");
        }
        // Both operands over one denominator: a = x / 10^scale, b = y / 10^scale.
        int scale = Math.max(a.scale(), b.scale());
        BigInteger x = a.units().multiply(BigInteger.TEN.pow(scale - a.scale()));
        BigInteger y = b.units().multiply(BigInteger.TEN.pow(scale - b.scale()));
        BigInteger unit = BigInteger.TEN.pow(scale);
        BigInteger numerator;
        BigInteger denominator = unit;
        switch (operator) {
            case PLUS -> numerator = x.add(y);
            case MINUS -> numerator = x.subtract(y);
            case TIMES -> {
                numerator = a.units().multiply(b.units());
                denominator = BigInteger.TEN.pow(a.scale() + b.scale());
            }
            case DIVIDE -> {
                numerator = y.signum() > 0 ? x : x.negate();
                denominator = y.abs();
            }
            case FLOOR_DIVIDE -> {
                numerator = floorDivide(x, y);
                denominator = BigInteger.ONE;
            }
            case MODULO -> numerator = x.subtract(y.multiply(floorDivide(x, y)));
            case MIN -> numerator = x.min(y);
            default -> numerator = x.max(y);
        }
        if (a.isInteger() && b.isInteger() && operator != Operator.DIVIDE) {
            return exactInteger(numerator);
        }
        return rounded(numerator, denominator);
    }

    /** {@code floor(x / y)}, as Python's {@code //} (BigInteger.divide truncates). */
    static BigInteger floorDivide(BigInteger x, BigInteger y) {
        BigInteger[] quotientAndRemainder = x.divideAndRemainder(y);
        if (quotientAndRemainder[1].signum() != 0 && quotientAndRemainder[1].signum() != y.signum()) {
            return quotientAndRemainder[0].subtract(BigInteger.ONE);
        }
        return quotientAndRemainder[0];
    }

    private static String exactInteger(BigInteger value) throws CalcError {
        if (CalcNumbers.digitCount(value.abs()) > CalcNumbers.MAX_RESULT_DIGITS) {
            throw tooLargeResult();
        }
        return CalcNumbers.integerText(value);
    }

    private static String rounded(BigInteger numerator, BigInteger denominator) throws CalcError {
        CalcNumbers.Rounded value = CalcNumbers.roundRatio(numerator, denominator);
        if (CalcNumbers.roundedDigits(value) > CalcNumbers.MAX_RESULT_DIGITS) {
            throw tooLargeResult();
        }
        return CalcNumbers.roundedText(value);
    }

    private static String power(Operand base, Operand exponent) throws CalcError {
        BigInteger[] wholeAndFraction = exponent.units().divideAndRemainder(BigInteger.TEN.pow(exponent.scale()));
        if (wholeAndFraction[1].signum() != 0) {
            throw new CalcError(ErrorCode.DOMAIN, "the exponent of ^ must be a whole number");
        }
        if (wholeAndFraction[0].abs().compareTo(BigInteger.valueOf(MAX_EXPONENT)) > 0) {
            throw new CalcError(ErrorCode.TOO_LARGE, "the exponent of ^ is outside -" + MAX_EXPONENT
                    + ".." + MAX_EXPONENT);
        }
        int whole = wholeAndFraction[0].intValueExact();
        if (base.units().signum() == 0) {
            if (whole < 0) {
                throw new CalcError(ErrorCode.DIV_ZERO, "division by zero (zero to a negative power)");
            }
            return whole == 0 ? "1" : "0";
        }
        if (whole == 0) {
            return "1";
        }
        // |base| = significand * 10^shift with significand not a multiple of 10,
        // and 10^leading <= |base| < 10^(leading + 1).
        CalcNumbers.Stripped significand = CalcNumbers.stripZeros(base.units().abs());
        int shift = significand.removed() - base.scale();
        int significantDigits = CalcNumbers.digitCount(significand.value());
        long leading = shift + significantDigits - 1;
        // Bounds on log10 of |base|^whole; outside (-MAX, MAX) the text needs > MAX digits.
        long low = whole > 0 ? whole * leading : whole * (leading + 1);
        long high = whole > 0 ? whole * (leading + 1) : whole * leading;
        if (low >= CalcNumbers.MAX_RESULT_DIGITS || high <= -CalcNumbers.MAX_RESULT_DIGITS) {
            throw tooLargeResult();
        }
        int count = Math.abs(whole);
        if ((long) significantDigits * count > MAX_POWER_DIGITS) {
            throw new CalcError(ErrorCode.TOO_LARGE, "the exact power would have more than "
                    + MAX_POWER_DIGITS + " digits");
        }
        BigInteger power = significand.value().pow(count);
        if (base.units().signum() < 0 && count % 2 == 1) {
            power = power.negate();
        }
        BigInteger numerator;
        BigInteger denominator;
        if (whole > 0) {
            numerator = power;
            denominator = BigInteger.ONE;
        } else {
            numerator = BigInteger.valueOf(power.signum());
            denominator = power.abs();
        }
        int tenPower = shift * whole;
        if (tenPower >= 0) {
            numerator = numerator.multiply(BigInteger.TEN.pow(tenPower));
        } else {
            denominator = denominator.multiply(BigInteger.TEN.pow(-tenPower));
        }
        if (base.isInteger() && exponent.isInteger() && whole > 0) {
            return exactInteger(numerator);
        }
        return rounded(numerator, denominator);
    }
}
