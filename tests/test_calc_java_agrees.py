"""The Java calculator (crosswire.calc, called in-process through JPype) against the vectors and Python.

Every vector of harness/vectors/calc.toml runs against `Calculator.handleLine`,
`handleLineBytes` and `handleDatagram`; then Hypothesis generates requests,
valid and not (random operators, operands huge and tiny, junk, odd
whitespace, bad bytes), and each must get the very same reply from Java as
from Python. Examples per property: 2000 when `CI` is set, 300 otherwise.

Strings cross into Java as UTF-8 bytes decoded by `new String(bytes, UTF_8)`:
JPype's own str conversion is not trusted with NUL and non-BMP characters.
Replies are ASCII, so `str()` of the returned Java string is exact.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from crosswire.protocol.calc import handle_datagram, handle_line, handle_line_bytes
from tests.test_calc_protocol import CASES, DATAGRAMS, DatagramCase, LineCase

EXAMPLES = 2000 if os.environ.get("CI") else 300
agreement_settings = settings(max_examples=EXAMPLES, deadline=None)


@dataclass
class JavaCalculator:
    """`crosswire.calc.Calculator` over Python str and bytes."""

    jvm: Any

    def __post_init__(self) -> None:
        self.calculator = self.jvm.JClass("crosswire.calc.Calculator")
        self.string = self.jvm.JClass("java.lang.String")
        self.utf8 = self.jvm.JClass("java.nio.charset.StandardCharsets").UTF_8
        self.byte_array = self.jvm.JArray(self.jvm.JByte)

    def java_string(self, text: str) -> Any:
        return self.string(self.byte_array(text.encode("utf-8")), self.utf8)

    def handle_line(self, text: str) -> str:
        return str(self.calculator.handleLine(self.java_string(text)))

    def handle_line_bytes(self, data: bytes) -> bytes:
        return bytes(self.calculator.handleLineBytes(self.byte_array(data)))

    def handle_datagram(self, data: bytes) -> bytes:
        return bytes(self.calculator.handleDatagram(self.byte_array(data)))


@pytest.fixture(scope="module")
def java(jvm: Any) -> JavaCalculator:
    return JavaCalculator(jvm)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_line_vector(java: JavaCalculator, case: LineCase) -> None:
    if case.text is not None:
        assert java.handle_line(case.text) == case.reply
        assert java.handle_line_bytes(case.text.encode()) == case.reply.encode()
    else:
        assert case.data is not None
        assert java.handle_line_bytes(case.data) == case.reply.encode()


@pytest.mark.parametrize("case", DATAGRAMS, ids=[case.id for case in DATAGRAMS])
def test_datagram_vector(java: JavaCalculator, case: DatagramCase) -> None:
    assert java.handle_datagram(case.data) == case.reply


def test_replies_parse_in_java(java: JavaCalculator) -> None:
    reply_class = java.jvm.JClass("crosswire.calc.CalcReply")
    for case in CASES:
        assert str(reply_class.parse(java.java_string(case.reply)).text()) == case.reply
    parsed = java.calculator.parseDatagramReply(java.byte_array(b"q1 ERR DIV_ZERO division by zero"))
    assert (str(parsed.requestId()), str(parsed.reply().code())) == ("q1", "DIV_ZERO")
    datagram = java.calculator.datagramRequest(java.java_string("q-1"), java.java_string("+ 1 2"))
    assert bytes(datagram) == b"q-1 + 1 2"


# --- generated requests ---------------------------------------------------------------

OPERATORS = ["+", "-", "*", "/", "//", "%", "^", "min", "max"]
JUNK_OPERATORS = ["", "x", "**", "÷", "MIN", "+1", "--", "^^", "\x00", "mod", "//%"]
SEPARATORS = st.text(" \t", min_size=1, max_size=3)


def digit_runs(max_size: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text("0123456789", min_size=1, max_size=max_size),
        st.builds(lambda run, count: run * count, st.sampled_from("0159"), st.integers(1, 1100)),
    )


numbers = st.one_of(
    st.sampled_from(["0", "-0", "0.0", "1", "-1", "2", "0.5", "10", "0.1", "1.0001", "12", "-0.2", "9" * 34]),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.builds(
        lambda sign, whole, fraction: sign + whole + ("." + fraction if fraction is not None else ""),
        st.sampled_from(["", "-", "+"]),
        digit_runs(45),
        st.one_of(st.none(), digit_runs(45)),
    ),
)
exponents = st.one_of(
    st.integers(min_value=-40, max_value=40).map(str),
    st.integers(min_value=-10_001, max_value=10_001).map(str),
    st.sampled_from(["0.5", "2.0", "-3.00", "10000", "-10000", "10001", "9999", "9267", "6667", "1" + "0" * 30]),
)
power_bases = st.sampled_from(
    ["2", "-2", "10", "0.1", "12", "99", "0.5", "-3", "7", "1.0001", "1.01", "1.1", "0", "-1", "1" + "0" * 999]
)
junk_numbers = st.one_of(
    st.sampled_from([".5", "5.", "1e3", "1_0", "0x1", "inf", "nan", "١", "１", "+-1", "1.2.3", "-", "−1"]),
    st.text(st.characters(codec="utf-8"), max_size=6),
)


def one_in(draw: st.DrawFn, chances: int) -> bool:
    return draw(st.integers(1, chances)) == 1


@st.composite
def requests(draw: st.DrawFn) -> str:
    """A request line: mostly well formed, sometimes subtly or wildly not."""
    if one_in(draw, 12):
        return draw(st.text(st.characters(codec="utf-8"), max_size=40))
    if one_in(draw, 6):
        tokens = ["^", draw(power_bases | numbers), draw(exponents)]
    else:
        operator = draw(st.sampled_from(JUNK_OPERATORS if one_in(draw, 10) else OPERATORS))
        first = draw(junk_numbers if one_in(draw, 15) else numbers)
        second = draw(junk_numbers if one_in(draw, 15) else exponents if operator == "^" else numbers)
        tokens = [operator, first, second]
    if one_in(draw, 30):
        del tokens[draw(st.integers(0, 2))]
    if one_in(draw, 30):
        tokens.append(draw(numbers))
    separators = [draw(SEPARATORS) for _ in tokens]
    line = draw(st.sampled_from(["", " ", "\t"])) + "".join(t + s for t, s in zip(tokens, separators, strict=True))
    return line + draw(st.sampled_from(["", "", "", "", "\n", "\r\n", "\r", "\n\n", " \r"]))


@given(requests())
@example("^ 12 9267")
@example("^ 1.0001 -10000")
@example("/ 1 " + "3" * 1000)
@example("% -" + "7" * 999 + ".5 0." + "0" * 998 + "3")
@agreement_settings
def test_java_and_python_give_the_same_reply(java: JavaCalculator, request: str) -> None:
    reply = handle_line(request)
    event(" ".join(reply.split(" ")[:2]) if reply.startswith("ERR") else "OK")
    assert java.handle_line(request) == reply


@given(st.binary(max_size=60) | requests().map(lambda text: text.encode("utf-8")))
@agreement_settings
def test_java_and_python_agree_on_line_bytes(java: JavaCalculator, line: bytes) -> None:
    assert java.handle_line_bytes(line) == handle_line_bytes(line)


request_ids = st.one_of(
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,15}", fullmatch=True),
    st.sampled_from(["", "-", "-x", "a_b", "a" * 17, "é", "q1+"]),
)


@given(
    st.one_of(
        st.builds(lambda rid, sep, request: f"{rid}{sep}{request}".encode(), request_ids, SEPARATORS, requests()),
        st.binary(max_size=40),
    )
)
@agreement_settings
def test_java_and_python_agree_on_datagrams(java: JavaCalculator, datagram: bytes) -> None:
    assert java.handle_datagram(datagram) == handle_datagram(datagram)
