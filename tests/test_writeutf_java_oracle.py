"""The real Java as the oracle: Python's writeUTF codec against `java.io` through JPype.

Every property compares Python with `DataOutputStream.writeUTF` or
`DataInputStream.readUTF` running in the worker's JVM, on text and bytes that
Hypothesis generates.  Examples per property: 2000 when the `CI` environment
variable is set, 300 otherwise.

JPype traps worked around here:
* `JString(s)` and `str(java_string)` go through UTF-8 and raise on lone
  surrogates, so Java strings are built from a `char[]` of UTF-16 code units
  and read back through `toCharArray()` (see the construction tests).
* Java's too-long message quotes the string's first and last 8 chars, which
  may be lone surrogates (the last 8 chars can even cut a pair in half).  JPype
  then fails to translate the exception object (raised, or returned by
  `getCause()`) into Python: it prints "Fatal error in exception handling" and
  raises UnicodeDecodeError instead.  So the exception never reaches Python:
  a method handle catches it inside the JVM and returns its message as a Java
  `String`, of which only the ASCII tail is converted to Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from crosswire.protocol import mutf8
from crosswire.protocol.writeutf import (
    END_OF_STREAM,
    MAX_ENCODED_LENGTH,
    EncodedTooLong,
    FrameDecoder,
    MalformedInput,
    TruncatedFrame,
    frame,
    unframe,
)

ORACLE_EXAMPLES = 2000 if os.environ.get("CI") else 300
oracle_settings = settings(max_examples=ORACLE_EXAMPLES, deadline=None)

SPECIAL_CHARACTERS = [
    "\x00",
    "\x7f",
    "\x80",
    "\u07ff",
    "\u0800",
    "\ud7ff",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ue000",
    "\uffff",
    "\U00010000",
    "\U0001f600",
    "\U0010ffff",
]
any_character = st.one_of(st.characters(codec=None), st.sampled_from(SPECIAL_CHARACTERS))
any_text = st.text(any_character)

# Outcomes, in the same shape for both sides so that one == compares them.
Outcome = tuple[Any, ...]


@pytest.fixture(scope="session")
def jpype_module(request: pytest.FixtureRequest) -> Any:
    """The conftest's `jvm` fixture; or, run with --noconftest, a JVM of our own."""
    try:
        return request.getfixturevalue("jvm")
    except pytest.FixtureLookupError:
        jpype = pytest.importorskip("jpype")
        if not jpype.isJVMStarted():
            jpype.startJVM(convertStrings=False)
        return jpype


@dataclass
class JavaOracle:
    """`writeUTF` and `readUTF` of the JVM, over Python bytes and UTF-16 code units."""

    jpype: Any

    def __post_init__(self) -> None:
        jclass: Callable[[str], Any] = self.jpype.JClass
        self.char_array = self.jpype.JArray(self.jpype.JChar)
        self.byte_array = self.jpype.JArray(self.jpype.JByte)
        self.String = jclass("java.lang.String")
        self.DataInputStream = jclass("java.io.DataInputStream")
        self.ByteArrayInputStream = jclass("java.io.ByteArrayInputStream")
        self.UTFDataFormatException = jclass("java.io.UTFDataFormatException")
        self.EOFException = jclass("java.io.EOFException")
        self.buffer = jclass("java.io.ByteArrayOutputStream")()
        self.output = jclass("java.io.DataOutputStream")(self.buffer)
        self.write_utf_or_message = self._write_utf_catching_in_java(jclass)

    def _write_utf_catching_in_java(self, jclass: Callable[[str], Any]) -> Any:
        """A handle for `(out, s) -> { out.writeUTF(s); return null; }` that
        returns the message of a `UTFDataFormatException` instead of throwing it."""
        handles = jclass("java.lang.invoke.MethodHandles")
        method_type = jclass("java.lang.invoke.MethodType").methodType
        lookup = handles.publicLookup()
        output_class = jclass("java.io.DataOutputStream")
        string_class, error_class = self.String, self.UTFDataFormatException
        write_utf = lookup.findVirtual(
            output_class, "writeUTF", method_type(jclass("java.lang.Void").TYPE, string_class)
        )
        returns_null = handles.dropArguments(handles.constant(string_class, None), 0, output_class, string_class)
        get_message = lookup.findVirtual(jclass("java.lang.Throwable"), "getMessage", method_type(string_class)).asType(
            method_type(string_class, error_class)
        )
        return handles.catchException(
            handles.foldArguments(returns_null, write_utf),
            error_class,
            handles.dropArguments(get_message, 1, output_class, string_class),
        )

    def string(self, units: list[int]) -> Any:
        """A `java.lang.String` of exactly these UTF-16 code units."""
        return self.String(self.char_array(units))

    @staticmethod
    def code_units(java_string: Any) -> list[int]:
        units: list[int] = memoryview(java_string.toCharArray()).tolist()
        return units

    def write_utf(self, text: str) -> Outcome:
        """("framed", bytes) or ("too long", N) from `DataOutputStream.writeUTF`."""
        self.buffer.reset()
        java_string = self.string(mutf8.utf16_code_units(text))
        message = self.write_utf_or_message.invokeWithArguments(self.output, java_string)
        if message is None:
            return ("framed", memoryview(self.buffer.toByteArray()).tobytes())
        ascii_tail = str(message.substring(message.lastIndexOf(") too long: ")))
        found = re.fullmatch(r"\) too long: (\d+) bytes", ascii_tail)
        assert found, ascii_tail
        return ("too long", int(found.group(1)))

    def read_utf(self, data: bytes) -> Outcome:
        """("message", units, rest), ("malformed",) or ("truncated",) from one `readUTF`."""
        stream = self.ByteArrayInputStream(self.byte_array(data))
        try:
            units = self.code_units(self.DataInputStream(stream).readUTF())
        except self.UTFDataFormatException:
            return ("malformed",)
        except self.EOFException:
            return ("truncated",)
        return ("message", units, data[len(data) - stream.available() :])

    def read_utf_until_end(self, data: bytes) -> list[Outcome]:
        """Call `readUTF` until the stream ends, going on after a malformed frame."""
        stream = self.ByteArrayInputStream(self.byte_array(data))
        reader = self.DataInputStream(stream)
        outcomes: list[Outcome] = []
        while stream.available() > 0:
            try:
                outcomes.append(("message", self.code_units(reader.readUTF())))
            except self.UTFDataFormatException:
                outcomes.append(("malformed",))
            except self.EOFException:
                outcomes.append(("truncated",))
                return outcomes
        outcomes.append(("end",))
        return outcomes


@pytest.fixture(scope="module")
def java(jpype_module: Any) -> JavaOracle:
    return JavaOracle(jpype_module)


def event_for(outcome: Outcome) -> Outcome:
    """Record Java's verdict, so --hypothesis-show-statistics shows each was reached."""
    event(f"java: {outcome[0]}")
    return outcome


def python_frame(text: str) -> Outcome:
    try:
        return ("framed", frame(text))
    except EncodedTooLong as error:
        return ("too long", error.encoded_length)


def python_unframe(data: bytes) -> Outcome:
    try:
        text, rest = unframe(data)
    except MalformedInput:
        return ("malformed",)
    except TruncatedFrame:
        return ("truncated",)
    return ("message", mutf8.utf16_code_units(text), rest)


def python_decode_until_end(data: bytes) -> list[Outcome]:
    """What `FrameDecoder` makes of `data`, fed one byte at a time, then the end."""
    decoder = FrameDecoder()
    outcomes: list[Outcome] = []
    for index in range(len(data)):
        decoder.receive_data(data[index : index + 1])
        take_outcomes(decoder, outcomes, len(data))
    decoder.receive_data(b"")
    take_outcomes(decoder, outcomes, len(data))
    return outcomes


def take_outcomes(decoder: FrameDecoder, outcomes: list[Outcome], stream_length: int) -> None:
    """Append what `next_message` gives until it needs data or the stream is over."""
    while True:
        # Every frame takes at least 2 bytes: more outcomes mean a decoder that
        # does not consume what it reports, which would otherwise loop forever.
        assert len(outcomes) <= stream_length // 2 + 1, "decoder makes no progress"
        try:
            message = decoder.next_message()
        except MalformedInput:
            outcomes.append(("malformed",))
            continue
        except TruncatedFrame:
            outcomes.append(("truncated",))
            return
        if message is END_OF_STREAM:
            outcomes.append(("end",))
            return
        if not isinstance(message, str):  # NEED_DATA
            return
        outcomes.append(("message", mutf8.utf16_code_units(message)))


# -- the oracle itself -------------------------------------------------------


@pytest.mark.parametrize(
    "units",
    [[0xD800], [0xDFFF], [0x41, 0xDC00, 0xD800], [0xD83D, 0xDE00], [0], [0xFFFF], []],
    ids=["lone high", "lone low", "reversed pair", "pair", "NUL", "U+FFFF", "empty"],
)
def test_java_string_from_char_array_keeps_every_code_unit(java: JavaOracle, units: list[int]) -> None:
    java_string = java.string(units)
    assert java_string.length() == len(units)
    assert [ord(java_string.charAt(i)) for i in range(len(units))] == units
    assert java.code_units(java_string) == units


def test_jstring_cannot_carry_a_lone_surrogate(jpype_module: Any) -> None:
    """Why the oracle builds strings from char[]: JPype's own conversion refuses them."""
    with pytest.raises(UnicodeEncodeError):
        jpype_module.JString("\ud800")


def test_oracle_sees_known_java_bytes(java: JavaOracle) -> None:
    assert java.write_utf("\U0001f600\x00") == ("framed", b"\x00\x08\xed\xa0\xbd\xed\xb8\x80\xc0\x80")
    assert java.read_utf(b"\x00\x02\xc0\x80rest") == ("message", [0], b"rest")
    assert java.read_utf(b"\x00\x04\xf0\x9f\x98\x80") == ("malformed",)
    assert java.read_utf(b"\x00\x05abc") == ("truncated",)


# -- (a) writeUTF ------------------------------------------------------------------


@oracle_settings
@given(any_text)
def test_frame_matches_java_write_utf(java: JavaOracle, text: str) -> None:
    assert python_frame(text) == event_for(java.write_utf(text))


ENCODED_SIZE = {"a": 1, "\x00": 2, "\u07ff": 2, "\u0800": 3, "\ud800": 3, "\U0001f600": 6}


@pytest.mark.parametrize("encoded_length", range(MAX_ENCODED_LENGTH - 3, MAX_ENCODED_LENGTH + 4))
@pytest.mark.parametrize("filler", list(ENCODED_SIZE), ids=ascii)
def test_frame_matches_java_at_the_65535_byte_boundary(java: JavaOracle, filler: str, encoded_length: int) -> None:
    count, remainder = divmod(encoded_length, ENCODED_SIZE[filler])
    text = filler * count + "a" * remainder
    assert len(mutf8.encode(text)) == encoded_length
    python = python_frame(text)
    assert python == java.write_utf(text)
    if encoded_length > MAX_ENCODED_LENGTH:
        assert python == ("too long", encoded_length)
    else:
        assert python[0] == "framed"


@pytest.mark.slow  # each example is a 64 KiB string on both sides: ~12 s at the CI count
@oracle_settings
@given(
    st.sampled_from(sorted(ENCODED_SIZE)),
    any_text.filter(lambda tail: len(tail) < 8),
    st.integers(MAX_ENCODED_LENGTH - 8, MAX_ENCODED_LENGTH + 8),
)
def test_frame_near_the_limit_matches_java(java: JavaOracle, filler: str, tail: str, target: int) -> None:
    count = max(0, target - len(mutf8.encode(tail))) // ENCODED_SIZE[filler]
    text = filler * count + tail
    assert python_frame(text) == event_for(java.write_utf(text))


# -- (b) readUTF -------------------------------------------------------------------

# Bytes drawn from every class readUTF's algorithm distinguishes.
INTERESTING_BYTES = [
    0x00,
    0x41,
    0x7F,
    0x80,
    0xBF,
    0xC0,
    0xC1,
    0xC2,
    0xDF,
    0xE0,
    0xED,
    0xEF,
    0xF0,
    0xF4,
    0xF7,
    0xF8,
    0xFF,
]
byte_soup = st.lists(st.sampled_from(INTERESTING_BYTES), max_size=24).map(bytes)
payloads = st.one_of(st.binary(max_size=24), byte_soup)


def with_length(payload: bytes) -> bytes:
    return len(payload).to_bytes(2, "big") + payload


@st.composite
def mutated_encodings(draw: st.DrawFn) -> bytes:
    """A valid encoding with a few bytes replaced, flipped, inserted or removed."""
    payload = bytearray(mutf8.encode(draw(any_text.filter(lambda text: len(text) < 12))))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["replace", "flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, len(payload)))
        if kind == "insert":
            payload.insert(at, draw(st.sampled_from(INTERESTING_BYTES)))
        elif at == len(payload):
            continue
        elif kind == "replace":
            payload[at] = draw(st.sampled_from(INTERESTING_BYTES))
        elif kind == "flip":
            payload[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "delete":
            del payload[at]
        else:
            del payload[at:]
    return bytes(payload)


@st.composite
def frames(draw: st.DrawFn) -> bytes:
    """A frame whose length is mostly right, sometimes off, with bytes after it."""
    payload = draw(st.one_of(payloads, mutated_encodings()))
    length = len(payload) + draw(st.sampled_from([0, 0, 0, -1, 1, 2]))
    header = max(0, length).to_bytes(2, "big")
    return header + payload + draw(st.binary(max_size=3))


@oracle_settings
@given(payloads)
def test_unframe_matches_java_on_arbitrary_payloads(java: JavaOracle, payload: bytes) -> None:
    data = with_length(payload)
    assert python_unframe(data) == event_for(java.read_utf(data))


@oracle_settings
@given(mutated_encodings())
def test_unframe_matches_java_on_mutated_encodings(java: JavaOracle, payload: bytes) -> None:
    data = with_length(payload)
    assert python_unframe(data) == event_for(java.read_utf(data))


@oracle_settings
@given(st.one_of(st.binary(max_size=8), frames()))
def test_unframe_matches_java_on_arbitrary_input(java: JavaOracle, data: bytes) -> None:
    """Wrong lengths, half headers and trailing bytes: EOF and leftovers must agree."""
    assert python_unframe(data) == event_for(java.read_utf(data))


@oracle_settings
@given(st.lists(st.one_of(frames(), any_text.map(frame)), max_size=5).map(b"".join))
def test_frame_decoder_byte_by_byte_matches_java_reading_to_the_end(java: JavaOracle, stream: bytes) -> None:
    java_outcomes = java.read_utf_until_end(stream)
    for kind in sorted({outcome[0] for outcome in java_outcomes}):
        event(f"java: {kind}")
    assert python_decode_until_end(stream) == java_outcomes


def test_largest_frame_round_trips_through_java(java: JavaOracle) -> None:
    text = "\U0001f600" * (MAX_ENCODED_LENGTH // 6) + "\x00" * 1 + "a"
    framed = frame(text)
    assert len(framed) == 2 + MAX_ENCODED_LENGTH
    assert java.read_utf(framed) == ("message", mutf8.utf16_code_units(text), b"")
