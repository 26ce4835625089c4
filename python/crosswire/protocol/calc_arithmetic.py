"""The calculator's operators and how each is evaluated (docs/protocols/calc.md), never with eval.

Every result is computed exactly first. In integer mode (both operands written
without a point, and not `/`, and not `^` with a negative exponent) that exact
integer is the result. Otherwise the exact value, a ratio of integers, is
rounded once by `round_ratio`. Twin of java/src/crosswire/calc/Operator.java
and Arithmetic.java.
"""

from __future__ import annotations

import enum
from typing import Final

from crosswire.protocol.calc_errors import CalcError, ErrorCode
from crosswire.protocol.calc_numbers import (
    MAX_RESULT_DIGITS,
    Operand,
    digit_count,
    integer_text,
    round_ratio,
    rounded_digits,
    rounded_text,
    strip_zeros,
)

MAX_EXPONENT: Final = 10_000
MAX_POWER_DIGITS: Final = 20_000


class Operator(enum.Enum):
    """The operators, by the token that names them in a request."""

    PLUS = "+"
    MINUS = "-"
    TIMES = "*"
    DIVIDE = "/"
    FLOOR_DIVIDE = "//"
    MODULO = "%"
    POWER = "^"
    MIN = "min"
    MAX = "max"

    @classmethod
    def from_symbol(cls, symbol: str) -> Operator | None:
        return _BY_SYMBOL.get(symbol)


_BY_SYMBOL: Final = {operator.value: operator for operator in Operator}
SYMBOLS: Final = " ".join(operator.value for operator in Operator)


def too_large_result() -> CalcError:
    return CalcError(ErrorCode.TOO_LARGE, f"result would have more than {MAX_RESULT_DIGITS} digits")


def evaluate(operator: Operator, a: Operand, b: Operand) -> str:
    """The canonical text of `a operator b`; raises CalcError for DIV_ZERO, DOMAIN, TOO_LARGE."""
    if operator is Operator.POWER:
        return _power(a, b)
    if operator in (Operator.DIVIDE, Operator.FLOOR_DIVIDE, Operator.MODULO) and b.units == 0:
        raise CalcError(ErrorCode.DIV_ZERO, "division by zero")
    # Both operands over one denominator: a = x / 10**scale, b = y / 10**scale.
    scale = max(a.scale, b.scale)
    x = a.units * 10 ** (scale - a.scale)
    y = b.units * 10 ** (scale - b.scale)
    unit = 10**scale
    if operator is Operator.PLUS:
        numerator, denominator = x + y, unit
    elif operator is Operator.MINUS:
        numerator, denominator = x - y, unit
    elif operator is Operator.TIMES:
        numerator, denominator = a.units * b.units, 10 ** (a.scale + b.scale)
    elif operator is Operator.DIVIDE:
        numerator, denominator = (x, y) if y > 0 else (-x, -y)
    elif operator is Operator.FLOOR_DIVIDE:
        numerator, denominator = x // y, 1  # Python's // floors
    elif operator is Operator.MODULO:
        numerator, denominator = x % y, unit  # Python's % takes the divisor's sign
    elif operator is Operator.MIN:
        numerator, denominator = min(x, y), unit
    else:
        numerator, denominator = max(x, y), unit
    if a.is_integer and b.is_integer and operator is not Operator.DIVIDE:
        return _exact_integer(numerator)
    return _rounded(numerator, denominator)


def _exact_integer(value: int) -> str:
    if digit_count(abs(value)) > MAX_RESULT_DIGITS:
        raise too_large_result()
    return integer_text(value)


def _rounded(numerator: int, denominator: int) -> str:
    value = round_ratio(numerator, denominator)
    if rounded_digits(value) > MAX_RESULT_DIGITS:
        raise too_large_result()
    return rounded_text(value)


def _power(base: Operand, exponent: Operand) -> str:
    whole, fraction = divmod(exponent.units, 10**exponent.scale)
    if fraction != 0:
        raise CalcError(ErrorCode.DOMAIN, "the exponent of ^ must be a whole number")
    if abs(whole) > MAX_EXPONENT:
        raise CalcError(ErrorCode.TOO_LARGE, f"the exponent of ^ is outside -{MAX_EXPONENT}..{MAX_EXPONENT}")
    if base.units == 0:
        if whole < 0:
            raise CalcError(ErrorCode.DIV_ZERO, "division by zero (zero to a negative power)")
        return "1" if whole == 0 else "0"
    if whole == 0:
        return "1"
    # |base| = significand * 10**shift with significand not a multiple of 10,
    # and 10**leading <= |base| < 10**(leading + 1).
    significand, zeros = strip_zeros(abs(base.units))
    shift = zeros - base.scale
    significant_digits = digit_count(significand)
    leading = shift + significant_digits - 1
    # Bounds on log10 of |base|**whole; outside (-MAX, MAX) the text needs > MAX digits.
    low, high = (whole * leading, whole * (leading + 1)) if whole > 0 else (whole * (leading + 1), whole * leading)
    if low >= MAX_RESULT_DIGITS or high <= -MAX_RESULT_DIGITS:
        raise too_large_result()
    count = abs(whole)
    if significant_digits * count > MAX_POWER_DIGITS:
        raise CalcError(ErrorCode.TOO_LARGE, f"the exact power would have more than {MAX_POWER_DIGITS} digits")
    power = significand**count
    if base.units < 0 and count % 2 == 1:
        power = -power
    numerator, denominator = (power, 1) if whole > 0 else ((1, power) if power > 0 else (-1, -power))
    ten_power = shift * whole
    if ten_power >= 0:
        numerator *= 10**ten_power
    else:
        denominator *= 10 ** (-ten_power)
    if base.is_integer and exponent.is_integer and whole > 0:
        return _exact_integer(numerator)
    return _rounded(numerator, denominator)
