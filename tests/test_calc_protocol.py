"""The Python calculator protocol (docs/protocols/calc.md) against its vectors and an oracle.

`harness/vectors/calc.toml` is loaded here once (`CASES`, `DATAGRAMS`), and
tests/test_calc_java_agrees.py imports it from here to run the same vectors
against Java. The oracle property checks the arithmetic against an
independent route: exact `fractions.Fraction` values, rounded by `decimal`'s
correctly rounded division with a context of 34 digits, ties to even.
Examples per property: 2000 when the `CI` environment variable is set, 300 otherwise.
"""

from __future__ import annotations

import decimal
import os
import re
import tomllib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.protocol.calc import (
    MAX_REQUEST_BYTES,
    BadReply,
    BadRequestId,
    CalcReply,
    datagram_request,
    handle_datagram,
    handle_line,
    handle_line_bytes,
    parse_datagram_reply,
    parse_reply,
    parse_request,
)
from crosswire.protocol.calc_arithmetic import Operator
from crosswire.protocol.calc_errors import CalcError, ErrorCode
from crosswire.protocol.calc_numbers import (
    Rounded,
    digit_count,
    integer_text,
    parse_operand,
    round_ratio,
    rounded_digits,
    rounded_text,
)

VECTORS = Path(__file__).resolve().parents[1] / "harness" / "vectors" / "calc.toml"
EXAMPLES = 2000 if os.environ.get("CI") else 300
property_settings = settings(max_examples=EXAMPLES, deadline=None)

_REPEAT = re.compile(r"\{(.)\*(\d+)\}")


def expand(text: str) -> str:
    """The vector text with each `{C*N}` replaced by C repeated N times."""
    return _REPEAT.sub(lambda match: match.group(1) * int(match.group(2)), text)


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class LineCase:
    """A TCP request line: `text` for handle_line, or `data` (raw bytes) for handle_line_bytes."""

    id: str
    text: str | None
    data: bytes | None
    reply: str


@dataclass(frozen=True)
class DatagramCase:
    id: str
    data: bytes
    reply: bytes


def load_vectors(path: Path = VECTORS) -> tuple[list[LineCase], list[DatagramCase]]:
    """The line and datagram cases; ids are the vector's number and its text as written."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    lines = []
    for number, entry in enumerate(table["case"], start=1):
        if "request" in entry:
            name = f"{number:03} {_shown(entry['request'])!r}"
            lines.append(LineCase(name, expand(entry["request"]), None, expand(entry["reply"])))
        else:
            name = f"{number:03} hex:{_shown(entry['request_hex'])}"
            lines.append(LineCase(name, None, bytes.fromhex(expand(entry["request_hex"])), expand(entry["reply"])))
    datagrams = []
    for number, entry in enumerate(table["datagram"], start=1):
        if "datagram" in entry:
            data, name = expand(entry["datagram"]).encode(), f"{number:02} {_shown(entry['datagram'])!r}"
        else:
            hex_text = entry["datagram_hex"]
            data, name = bytes.fromhex(expand(hex_text)), f"{number:02} hex:{_shown(hex_text)}"
        datagrams.append(DatagramCase(name, data, expand(entry["reply"]).encode()))
    return lines, datagrams


CASES, DATAGRAMS = load_vectors()


def test_the_vectors_cover_every_operator_and_every_error_code() -> None:
    assert len(CASES) + len(DATAGRAMS) >= 200
    texts = [case.text for case in CASES if case.text is not None]
    operators = {text.split()[0] for text in texts if text.split()}
    assert {operator.value for operator in Operator} <= operators
    replies = [case.reply for case in CASES] + [case.reply.decode() for case in DATAGRAMS]
    codes = {reply.split()[1] for reply in replies if reply.startswith("ERR")}
    assert codes == {code.value for code in ErrorCode}


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_line_vector(case: LineCase) -> None:
    if case.text is not None:
        assert handle_line(case.text) == case.reply
        assert handle_line_bytes(case.text.encode()) == case.reply.encode()
    else:
        assert case.data is not None
        assert handle_line_bytes(case.data) == case.reply.encode()


@pytest.mark.parametrize("case", DATAGRAMS, ids=[case.id for case in DATAGRAMS])
def test_datagram_vector(case: DatagramCase) -> None:
    assert handle_datagram(case.data) == case.reply


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_reply_parses_back_to_itself(case: LineCase) -> None:
    assert parse_reply(case.reply).text() == case.reply


# --- parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "units", "scale", "is_integer", "digits"),
    [
        ("7", 7, 0, True, 1),
        ("-7", -7, 0, True, 1),
        ("+7", 7, 0, True, 1),
        ("007", 7, 0, True, 3),
        ("-0", 0, 0, True, 1),
        ("2.50", 250, 2, False, 3),
        ("-0.001", -1, 3, False, 4),
        ("2.0", 20, 1, False, 2),
        ("0.0", 0, 1, False, 2),
    ],
)
def test_operand_parsing(token: str, units: int, scale: int, is_integer: bool, digits: int) -> None:
    operand = parse_operand(token, "first")
    assert (operand.units, operand.scale, operand.is_integer, operand.digits) == (units, scale, is_integer, digits)


@pytest.mark.parametrize(
    "token", ["", ".5", "5.", "1e3", "1_0", " 1", "1 ", "٣", "１", "+-1", "0x1", "1.2.3", "−1", "1\n"]
)
def test_operand_syntax_errors(token: str) -> None:
    with pytest.raises(CalcError) as raised:
        parse_operand(token, "second")
    assert raised.value.code is ErrorCode.BAD_NUMBER
    assert raised.value.detail.startswith("second operand")


def test_operand_digit_limit_counts_every_written_digit() -> None:
    assert parse_operand("9" * 1000, "first").digits == 1000
    assert parse_operand("-0." + "0" * 998 + "1", "first").digits == 1000
    for token in ["9" * 1001, "0" * 1001, "1." + "0" * 1000, "-" + "5" * 1001]:
        with pytest.raises(CalcError) as raised:
            parse_operand(token, "first")
        assert raised.value.code is ErrorCode.TOO_LARGE


def test_parse_request_splits_on_spaces_and_tabs_only() -> None:
    request = parse_request(" \t//\t -7  +2 ")
    assert request.operator is Operator.FLOOR_DIVIDE
    assert (request.a.units, request.b.units) == (-7, 2)
    for text in ["+\u00a01 2", "+ 1\u20032", "+\x0b1 2"]:
        with pytest.raises(CalcError) as raised:
            parse_request(text)
        assert raised.value.code in (ErrorCode.SYNTAX, ErrorCode.BAD_NUMBER, ErrorCode.UNKNOWN_OP)


def test_errors_are_checked_in_the_documented_order() -> None:
    assert handle_line("x y") == "ERR SYNTAX expected 3 tokens OP A B separated by spaces, got 2"
    assert handle_line("x y z").startswith("ERR UNKNOWN_OP ")
    assert handle_line("+ y " + "9" * 1001).startswith("ERR BAD_NUMBER first ")
    assert handle_line("+ " + "9" * 1001 + " y").startswith("ERR TOO_LARGE first ")
    assert handle_line("/ 1 0x").startswith("ERR BAD_NUMBER second ")
    assert handle_line("^ 0 -0.5").startswith("ERR DOMAIN ")
    assert handle_line("^ 0 -10001").startswith("ERR TOO_LARGE the exponent")
    assert handle_line("^ 0 -1").startswith("ERR DIV_ZERO ")
    assert handle_line_bytes(b"\xff" * 1025) == b"ERR TOO_LONG request is longer than 1024 bytes"
    assert handle_line_bytes(b"\xff" * 1024) == b"ERR BAD_UTF8 request is not valid UTF-8"


# --- limits ---------------------------------------------------------------------------


def test_request_length_is_counted_in_utf8_bytes_without_the_terminator() -> None:
    padding = MAX_REQUEST_BYTES - len("+ 12")
    assert handle_line("+ 1" + " " * padding + "2") == "OK 3"
    assert handle_line("+ 1" + " " * padding + "2\r\n") == "OK 3"
    assert handle_line("+ 1" + " " * (padding + 1) + "2").startswith("ERR TOO_LONG ")
    three_bytes = "\u20ac"  # one character, three bytes
    assert handle_line("+ 1 2 " + three_bytes * 339).startswith("ERR SYNTAX ")  # 6 + 1017 bytes
    assert handle_line("+ 1 2 " + three_bytes * 340).startswith("ERR TOO_LONG ")  # 6 + 1020 bytes
    four_bytes = "\U0001f600"
    assert handle_line("+ 1 2 " + four_bytes * 254 + "xx").startswith("ERR SYNTAX ")  # 1024 bytes
    assert handle_line("+ 1 2 " + four_bytes * 255).startswith("ERR TOO_LONG ")


@pytest.mark.parametrize(
    ("request_text", "reply_start"),
    [
        ("^ 1 10000", "OK 1"),
        ("^ 1 10001", "ERR TOO_LARGE the exponent"),
        ("^ 1.1 10000", "OK 8"),  # 2 significant digits * 10000 = 20000: allowed
        ("^ 1.01 6666", "OK 6"),  # 3 * 6666 = 19998
        ("^ 1.01 6667", "ERR TOO_LARGE the exact power"),  # 3 * 6667 = 20001
        ("^ 10 9999", "OK 1" + "0" * 20),
        ("^ 10 10000", "ERR TOO_LARGE result"),
        ("^ 0.1 9999", "OK 0.000"),
        ("^ 0.1 10000", "ERR TOO_LARGE result"),
        ("^ 2 33216", "ERR TOO_LARGE the exponent"),
        ("^ 12 9265", "OK 4"),  # 9999 digits, exact
        ("^ 12 9266", "OK 4"),  # 10000 digits: the most a result may have
        ("^ 12 9267", "ERR TOO_LARGE result"),  # 10001 digits; passes the early bound, fails the exact count
    ],
)
def test_power_limits(request_text: str, reply_start: str) -> None:
    assert handle_line(request_text).startswith(reply_start)


def test_the_result_limit_counts_digits_of_the_canonical_text() -> None:
    for request_text in ["^ 10 9999", "^ 0.1 9999", "^ 10 -9999", "^ 12 9266"]:
        reply = handle_line(request_text)
        digits = sum(character.isdigit() for character in reply)
        assert reply.startswith("OK ") and digits <= 10_000
    assert len(handle_line("^ 10 9999")) == len("OK ") + 10_000


def test_exact_integers_beyond_pythons_int_to_str_limit() -> None:
    # str(int) refuses more than 4300 digits; the protocol allows 10000.
    assert handle_line("^ 9 5000") == "OK " + str(decimal.Decimal(9**5000))
    assert handle_line("^ -7 9001") == "OK " + str(decimal.Decimal(-(7**9001)))


# --- numbers --------------------------------------------------------------------------


@pytest.mark.parametrize("exponent", [0, 1, 2, 33, 34, 35, 4299, 4300, 4301, 9999, 10_000, 40_000])
def test_digit_count_at_powers_of_ten(exponent: int) -> None:
    power = 10**exponent
    assert digit_count(power) == exponent + 1
    if exponent:
        assert digit_count(power - 1) == exponent
    assert digit_count(power * 9) == exponent + 1


@given(st.integers(min_value=0, max_value=10**3000))
@property_settings
def test_digit_count_matches_the_decimal_text(value: int) -> None:
    assert digit_count(value) == len(str(decimal.Decimal(value)))


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 3, "0.3333333333333333333333333333333333"),
        (-2, 3, "-0.6666666666666666666666666666666667"),
        (10**34 - 1, 1, "9999999999999999999999999999999999"),
        (2 * 10**34 - 1, 2, "10000000000000000000000000000000000"),  # 9999...9.5 ties up to a new digit
        (2 * 10**34 - 3, 2, "9999999999999999999999999999999998"),  # ...8.5 ties down, to even
        (25, 10**36, "0.0000000000000000000000000000000000" + "25"),
        (10**40 + 5 * 10**6, 1, "10000000000000000000000000000000000000000"),  # exact tie below 34 digits
        (10**40 + 15 * 10**6, 1, "10000000000000000000000000000000020000000"),
        (0, 7, "0"),
        (-(10**34) - 5, 10, "-1000000000000000000000000000000000"),
    ],
)
def test_round_ratio(numerator: int, denominator: int, expected: str) -> None:
    assert rounded_text(round_ratio(numerator, denominator)) == expected


def test_round_ratio_refuses_a_non_positive_denominator() -> None:
    with pytest.raises(ValueError):
        round_ratio(1, -3)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Rounded(0, 0), "0"),
        (Rounded(5, -1), "0.5"),
        (Rounded(-5, -1), "-0.5"),
        (Rounded(123, -1), "12.3"),
        (Rounded(123, -3), "0.123"),
        (Rounded(123, -5), "0.00123"),
        (Rounded(123, 2), "12300"),
        (Rounded(-1, 0), "-1"),
    ],
)
def test_rounded_text_and_its_digit_count(value: Rounded, text: str) -> None:
    assert rounded_text(value) == text
    assert rounded_digits(value) == sum(character.isdigit() for character in text)


def test_integer_text_has_no_sign_for_zero() -> None:
    assert integer_text(0) == "0"
    assert integer_text(-12) == "-12"


# --- replies and datagrams ------------------------------------------------------------


def test_reply_parsing() -> None:
    assert parse_reply("OK -0.5") == CalcReply.ok("-0.5")
    error = parse_reply("ERR DIV_ZERO division by zero")
    assert (error.code, error.body, error.is_ok) == (ErrorCode.DIV_ZERO, "division by zero", False)
    for text in ["", "OK", "OK ", "ERR", "ERR DIV_ZERO", "ERR NOPE something", "ok 1", "ERR  DIV_ZERO x"]:
        with pytest.raises(BadReply):
            parse_reply(text)


def test_a_client_datagram_round_trip() -> None:
    datagram = datagram_request("req-7", "* 6 7")
    assert datagram == b"req-7 * 6 7"
    assert parse_datagram_reply(handle_datagram(datagram)) == ("req-7", CalcReply.ok("42"))
    request_id, reply = parse_datagram_reply(handle_datagram(b"x_y + 1 2"))
    assert request_id == "-" and reply.code is ErrorCode.SYNTAX
    for bad in ["", "-a", "a_b", "a" * 17, "a b", "\u00e9"]:
        with pytest.raises(BadRequestId):
            datagram_request(bad, "+ 1 2")
    for reply_bytes in [b"\xff OK 1", b"a_b OK 1", b"q1 KO 1", b"q1"]:
        with pytest.raises(BadReply):
            parse_datagram_reply(reply_bytes)


@pytest.mark.parametrize("case", DATAGRAMS, ids=[case.id for case in DATAGRAMS])
def test_every_datagram_reply_parses(case: DatagramCase) -> None:
    request_id, reply = parse_datagram_reply(case.reply)
    assert f"{request_id} {reply.text()}".encode() == case.reply


def test_line_replies_are_ascii_and_one_line() -> None:
    for case in CASES:
        assert case.reply.isascii() and "\n" not in case.reply and "\r" not in case.reply


# --- the oracle -----------------------------------------------------------------------

ORACLE_CONTEXT = decimal.Context(
    prec=34, rounding=decimal.ROUND_HALF_EVEN, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[]
)


def _oracle_text(value: Fraction, exact_integer: bool) -> str:
    if exact_integer:
        assert value.denominator == 1
        return str(decimal.Decimal(value.numerator))
    rounded = ORACLE_CONTEXT.divide(decimal.Decimal(value.numerator), decimal.Decimal(value.denominator))
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0") else text


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def oracle(operator: str, a: str, b: str) -> str:
    """What the protocol's arithmetic must answer for valid operands, by another route."""
    x, y = Fraction(a), Fraction(b)
    integer_mode = "." not in a and "." not in b and operator != "/"
    if operator in ("/", "//", "%") and y == 0:
        return "ERR DIV_ZERO"
    if operator == "^":
        if y.denominator != 1:
            return "ERR DOMAIN"
        if x == 0 and y < 0:
            return "ERR DIV_ZERO"
        return "OK " + _oracle_text(x ** int(y), integer_mode and y >= 0)
    results = {
        "+": lambda: x + y,
        "-": lambda: x - y,
        "*": lambda: x * y,
        "/": lambda: x / y,
        "//": lambda: Fraction(_floor(x / y)),
        "%": lambda: x - y * _floor(x / y),
        "min": lambda: min(x, y),
        "max": lambda: max(x, y),
    }
    return "OK " + _oracle_text(results[operator](), integer_mode)


def numbers(max_digits: int) -> st.SearchStrategy[str]:
    """Operands in the protocol's syntax: integers and decimals, huge and tiny, with zeros."""
    digit_runs = st.text("0123456789", min_size=1, max_size=max_digits)
    special = st.sampled_from(["0", "-0", "0.0", "1", "-1", "0.5", "2", "10", "0.1", "9" * 34, "1" + "0" * 33])
    built = st.builds(
        lambda sign, whole, fraction: sign + whole + ("." + fraction if fraction else ""),
        st.sampled_from(["", "-", "+"]),
        digit_runs,
        st.one_of(st.none(), digit_runs),
    )
    return st.one_of(special, built)


@given(st.sampled_from(["+", "-", "*", "/", "//", "%", "min", "max"]), numbers(60), numbers(60))
@property_settings
def test_arithmetic_agrees_with_fractions_and_decimal(operator: str, a: str, b: str) -> None:
    reply = handle_line(f"{operator} {a} {b}")
    expected = oracle(operator, a, b)
    if expected.startswith("OK"):
        assert reply == expected
    else:
        assert reply.startswith(expected + " ")


@given(numbers(12), st.integers(min_value=-60, max_value=60), st.booleans())
@property_settings
def test_powers_agree_with_fractions_and_decimal(base: str, exponent: int, as_decimal: bool) -> None:
    exponent_text = f"{exponent}.0" if as_decimal else str(exponent)
    reply = handle_line(f"^ {base} {exponent_text}")
    expected = oracle("^", base, exponent_text)
    if expected.startswith("OK"):
        assert reply == expected
    else:
        assert reply.startswith(expected + " ")


@given(st.integers(min_value=-(10**40), max_value=10**40), st.integers(min_value=1, max_value=10**20))
@property_settings
def test_floor_division_and_remainder_fit_together(a: int, b: int) -> None:
    for divisor in (b, -b):
        quotient = int(handle_line(f"// {a} {divisor}").removeprefix("OK "))
        remainder = int(handle_line(f"% {a} {divisor}").removeprefix("OK "))
        assert quotient * divisor + remainder == a
        assert remainder == 0 or (remainder > 0) == (divisor > 0)
        assert abs(remainder) < abs(divisor)


@given(st.binary(max_size=80))
@property_settings
def test_any_bytes_get_exactly_one_ascii_reply(data: bytes) -> None:
    for reply in (handle_line_bytes(data), handle_datagram(data)):
        text = reply.decode("ascii")
        assert "\n" not in text and "\r" not in text
    assert handle_line_bytes(data).split(b" ")[0] in (b"OK", b"ERR")
