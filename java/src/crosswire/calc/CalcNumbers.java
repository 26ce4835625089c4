package crosswire.calc;

import java.math.BigInteger;

/**
 * The calculator's numbers (docs/protocols/calc.md): rounding once and canonical text. All
 * arithmetic is on BigInteger: a result that must be rounded is a ratio of two integers, rounded
 * here, once, to 34 significant digits with ties to even (the precision and default rounding of
 * IEEE 754 decimal128), without BigDecimal's MathContext, whose {@code pow} does not promise
 * correct rounding. Twin of python/crosswire/protocol/calc_numbers.py.
 */
public final class CalcNumbers {
    public static final int PRECISION = 34;
    public static final int MAX_OPERAND_DIGITS = 1000;
    public static final int MAX_RESULT_DIGITS = 10_000;

    private static final BigInteger TEN_TO_PRECISION = BigInteger.TEN.pow(PRECISION);
    private static final BigInteger TWO = BigInteger.valueOf(2);

    private CalcNumbers() {
    }

    /** {@code coefficient * 10^exponent}, at most 34 digits, no trailing zeros (0 is (0, 0)). */
    public record Rounded(BigInteger coefficient, int exponent) {
    }

    /** A value without its trailing decimal zeros, and how many were removed. */
    public record Stripped(BigInteger value, int removed) {
    }

    /** How many decimal digits {@code value} (at least 0) has. */
    public static int digitCount(BigInteger value) {
        if (value.compareTo(BigInteger.TEN) < 0) {
            return 1;
        }
        // 1233 / 4096 is just below log10(2), so 10^count <= value on entry.
        int count = (int) (((long) value.bitLength() - 1) * 1233 >> 12);
        BigInteger power = BigInteger.TEN.pow(count);
        while (power.compareTo(value) <= 0) {
            power = power.multiply(BigInteger.TEN);
            count++;
        }
        return count;
    }

    /** {@code value} without its trailing decimal zeros; 0 stays (0, 0). */
    public static Stripped stripZeros(BigInteger value) {
        int removed = 0;
        while (value.signum() != 0) {
            BigInteger[] quotientAndDigit = value.divideAndRemainder(BigInteger.TEN);
            if (quotientAndDigit[1].signum() != 0) {
                break;
            }
            value = quotientAndDigit[0];
            removed++;
        }
        return new Stripped(value, removed);
    }

    /** {@code numerator / denominator} (denominator > 0) rounded to 34 digits, ties to even. */
    public static Rounded roundRatio(BigInteger numerator, BigInteger denominator) {
        if (denominator.signum() <= 0) {
            throw new IllegalArgumentException("the denominator must be positive");
        }
        if (numerator.signum() == 0) {
            return new Rounded(BigInteger.ZERO, 0);
        }
        BigInteger magnitude = numerator.abs();
        // Scale so the quotient has 34 or 35 digits: it lies in (10^33, 10^35).
        int shift = PRECISION - (digitCount(magnitude) - digitCount(denominator));
        BigInteger[] quotientAndRemainder;
        if (shift >= 0) {
            quotientAndRemainder = magnitude.multiply(BigInteger.TEN.pow(shift)).divideAndRemainder(denominator);
        } else {
            denominator = denominator.multiply(BigInteger.TEN.pow(-shift));
            quotientAndRemainder = magnitude.divideAndRemainder(denominator);
        }
        BigInteger quotient = quotientAndRemainder[0];
        BigInteger remainder = quotientAndRemainder[1];
        if (quotient.compareTo(TEN_TO_PRECISION) >= 0) { // 35 digits: move the last one into the remainder
            BigInteger[] quotientAndLastDigit = quotient.divideAndRemainder(BigInteger.TEN);
            quotient = quotientAndLastDigit[0];
            remainder = remainder.add(quotientAndLastDigit[1].multiply(denominator));
            denominator = denominator.multiply(BigInteger.TEN);
            shift -= 1;
        }
        int half = remainder.multiply(TWO).compareTo(denominator);
        if (half > 0 || (half == 0 && quotient.testBit(0))) {
            quotient = quotient.add(BigInteger.ONE);
            if (quotient.equals(TEN_TO_PRECISION)) {
                quotient = quotient.divide(BigInteger.TEN);
                shift -= 1;
            }
        }
        Stripped coefficient = stripZeros(quotient);
        return new Rounded(numerator.signum() < 0 ? coefficient.value().negate() : coefficient.value(),
                coefficient.removed() - shift);
    }

    /** How many digits {@code roundedText(value)} has (the leading "0" of "0.5" counts). */
    public static int roundedDigits(Rounded value) {
        int digits = digitCount(value.coefficient().abs());
        if (value.exponent() >= 0) {
            return digits + value.exponent();
        }
        return Math.max(digits, -value.exponent() + 1);
    }

    /** The canonical text of a rounded result: plain notation, no exponent, no trailing zeros. */
    public static String roundedText(Rounded value) {
        String digits = value.coefficient().abs().toString();
        String sign = value.coefficient().signum() < 0 ? "-" : "";
        if (value.exponent() >= 0) {
            return sign + digits + "0".repeat(value.exponent());
        }
        int fractionDigits = -value.exponent();
        if (digits.length() > fractionDigits) {
            int point = digits.length() - fractionDigits;
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        return sign + "0." + "0".repeat(fractionDigits - digits.length()) + digits;
    }

    /** The canonical text of an exact integer result. */
    public static String integerText(BigInteger value) {
        return value.toString();
    }
}
