"""The calculator's numbers (docs/protocols/calc.md): operands, rounding once, canonical text.

All arithmetic is on Python integers. An operand is `units / 10**scale`; a
result that must be rounded is a ratio of two integers, rounded here, once, to
34 significant digits with ties to even (the precision and default rounding of
IEEE 754 decimal128). No decimal library context is involved, so the Java twin
(java/src/crosswire/calc/Operand.java and CalcNumbers.java) takes the same
steps with BigInteger and gets the same digits.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from typing import Final

from crosswire.protocol.calc_errors import CalcError, ErrorCode

PRECISION: Final = 34
MAX_OPERAND_DIGITS: Final = 1000
MAX_RESULT_DIGITS: Final = 10_000

# ASCII digits only: str.isdigit() and int() would also take "٣" or "１".
_OPERAND: Final = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?")
_TEN_TO_PRECISION: Final = 10**PRECISION


@dataclass(frozen=True)
class Operand:
    """A number as written in a request: its value is `units / 10**scale`."""

    units: int
    scale: int
    is_integer: bool  # written without a decimal point
    digits: int  # how many digits were written, leading and trailing zeros included


def parse_operand(token: str, which: str) -> Operand:
    """The operand `token` denotes; `which` ("first" or "second") goes into the error message."""
    match = _OPERAND.fullmatch(token)
    if match is None:
        raise CalcError(
            ErrorCode.BAD_NUMBER,
            f"{which} operand is not a number (expected digits with an optional sign and decimal point, like -12.5)",
        )
    sign, whole, fraction = match.group(1), match.group(2), match.group(3)
    digits = len(whole) + len(fraction or "")
    if digits > MAX_OPERAND_DIGITS:
        raise CalcError(ErrorCode.TOO_LARGE, f"{which} operand has more than {MAX_OPERAND_DIGITS} digits")
    magnitude = int(whole + (fraction or ""))
    return Operand(
        units=-magnitude if sign == "-" else magnitude,
        scale=len(fraction or ""),
        is_integer=fraction is None,
        digits=digits,
    )


def digit_count(value: int) -> int:
    """How many decimal digits `value` (>= 0) has, without str() (limited to 4300 digits)."""
    if value < 10:
        return 1
    # 1233 / 4096 is just below log10(2), so 10**count <= value on entry.
    count = (value.bit_length() - 1) * 1233 >> 12
    power = 10**count
    while power <= value:
        power *= 10
        count += 1
    return count


def strip_zeros(value: int) -> tuple[int, int]:
    """(`value` without its trailing decimal zeros, how many were removed); 0 stays (0, 0)."""
    removed = 0
    while value != 0 and value % 10 == 0:
        value //= 10
        removed += 1
    return value, removed


@dataclass(frozen=True)
class Rounded:
    """`coefficient * 10**exponent`, with at most 34 digits and no trailing zeros (0 is (0, 0))."""

    coefficient: int
    exponent: int


def round_ratio(numerator: int, denominator: int) -> Rounded:
    """`numerator / denominator` (denominator > 0) rounded to 34 significant digits, ties to even."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    if numerator == 0:
        return Rounded(0, 0)
    magnitude = abs(numerator)
    # Scale so the quotient has 34 or 35 digits: it lies in (10**33, 10**35).
    shift = PRECISION - (digit_count(magnitude) - digit_count(denominator))
    if shift >= 0:
        quotient, remainder = divmod(magnitude * 10**shift, denominator)
    else:
        denominator *= 10 ** (-shift)
        quotient, remainder = divmod(magnitude, denominator)
    if quotient >= _TEN_TO_PRECISION:  # 35 digits: move the last one into the remainder
        quotient, last_digit = divmod(quotient, 10)
        remainder += last_digit * denominator
        denominator *= 10
        shift -= 1
    if 2 * remainder > denominator or (2 * remainder == denominator and quotient % 2 == 1):
        quotient += 1
        if quotient == _TEN_TO_PRECISION:
            quotient //= 10
            shift -= 1
    coefficient, zeros = strip_zeros(quotient)
    return Rounded(-coefficient if numerator < 0 else coefficient, zeros - shift)


def rounded_digits(value: Rounded) -> int:
    """How many digits `rounded_text(value)` has (the leading "0" of "0.5" counts)."""
    digits = digit_count(abs(value.coefficient))
    if value.exponent >= 0:
        return digits + value.exponent
    return max(digits, -value.exponent + 1)


def rounded_text(value: Rounded) -> str:
    """The canonical text of a rounded result: plain notation, no exponent, no trailing zeros."""
    digits = str(abs(value.coefficient))
    sign = "-" if value.coefficient < 0 else ""
    if value.exponent >= 0:
        return sign + digits + "0" * value.exponent
    fraction_digits = -value.exponent
    if len(digits) > fraction_digits:
        return f"{sign}{digits[:-fraction_digits]}.{digits[-fraction_digits:]}"
    return f"{sign}0.{'0' * (fraction_digits - len(digits))}{digits}"


def integer_text(value: int) -> str:
    """The canonical text of an exact integer result."""
    # str(int) refuses more than 4300 digits (sys.get_int_max_str_digits);
    # Decimal converts an int exactly and has no such limit.
    return str(decimal.Decimal(value))
