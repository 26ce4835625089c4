"""Modified UTF-8 on bytes: known vectors, Java's leniencies, errors, round trips.

The Java oracle for the same codec is tests/test_writeutf_java_oracle.py.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire.protocol import mutf8
from crosswire.protocol.errors import ProtocolError, RemoteProtocolError
from crosswire.protocol.mutf8 import MalformedInput, decode, encode

# Characters where modified UTF-8 is special or a form changes length; mixed
# into generated text so that examples hit them far more often than by chance.
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


def has_adjacent_surrogate_pair(text: str) -> bool:
    """True if a high-surrogate code point is directly followed by a low one."""
    return any("\ud800" <= high <= "\udbff" and "\udc00" <= low <= "\udfff" for high, low in pairwise(text))


VECTORS = [
    pytest.param("", b"", id="empty"),
    pytest.param("hello", b"hello", id="ascii"),
    pytest.param("\x00", b"\xc0\x80", id="NUL is C0 80"),
    pytest.param("a\x00b", b"a\xc0\x80b", id="NUL inside"),
    pytest.param("\x7f", b"\x7f", id="U+007F last 1-byte"),
    pytest.param("\x80", b"\xc2\x80", id="U+0080 first 2-byte"),
    pytest.param("\u07ff", b"\xdf\xbf", id="U+07FF last 2-byte"),
    pytest.param("\u0800", b"\xe0\xa0\x80", id="U+0800 first 3-byte"),
    pytest.param("大家好", b"\xe5\xa4\xa7\xe5\xae\xb6\xe5\xa5\xbd", id="CJK"),
    pytest.param("\uffff", b"\xef\xbf\xbf", id="U+FFFF"),
    pytest.param("\U0001f600", b"\xed\xa0\xbd\xed\xb8\x80", id="emoji as surrogate pair"),
    pytest.param("\U00010000", b"\xed\xa0\x80\xed\xb0\x80", id="U+10000"),
    pytest.param("\U0010ffff", b"\xed\xaf\xbf\xed\xbf\xbf", id="U+10FFFF"),
    pytest.param("\ud800", b"\xed\xa0\x80", id="lone high surrogate"),
    pytest.param("\udfff", b"\xed\xbf\xbf", id="lone low surrogate"),
    pytest.param("\udc00\ud800", b"\xed\xb0\x80\xed\xa0\x80", id="pair in the wrong order"),
]


@pytest.mark.parametrize(("text", "encoded"), VECTORS)
def test_encode_known_vector(text: str, encoded: bytes) -> None:
    assert encode(text) == encoded


@pytest.mark.parametrize(("text", "encoded"), VECTORS)
def test_decode_known_vector(text: str, encoded: bytes) -> None:
    assert decode(encoded) == text


def test_encoding_never_contains_a_zero_byte() -> None:
    assert b"\x00" not in encode("\x00" * 10 + "a\x00")


def test_adjacent_surrogate_code_points_encode_like_the_character() -> None:
    """Java sees the same two UTF-16 units either way, so the bytes are the same."""
    assert encode("\ud83d\ude00") == encode("\U0001f600")
    assert decode(encode("\ud83d\ude00")) == "\U0001f600"


def test_utf16_code_units_split_supplementary_characters() -> None:
    assert mutf8.utf16_code_units("a\U0001f600\ud800") == [0x61, 0xD83D, 0xDE00, 0xD800]


def test_text_from_utf16_joins_pairs_and_keeps_lone_surrogates() -> None:
    units = [0xD83D, 0xDE00, 0xDC00, 0xD800, 0x41, 0xD800]
    assert mutf8.text_from_utf16(units) == "\U0001f600\udc00\ud800A\ud800"


# What readUTF accepts although a strict UTF-8 decoder rejects it.
LENIENT = [
    pytest.param(b"\x00", "\x00", id="plain 00 byte"),
    pytest.param(b"\xc0\x80", "\x00", id="overlong NUL C0 80"),
    pytest.param(b"\xc1\xbf", "\x7f", id="overlong 2-byte"),
    pytest.param(b"\xe0\x80\x80", "\x00", id="overlong 3-byte NUL"),
    pytest.param(b"\xe0\x81\xbf", "\x7f", id="overlong 3-byte"),
    pytest.param(b"\xed\xa0\x80", "\ud800", id="encoded surrogate"),
]


@pytest.mark.parametrize(("encoded", "text"), LENIENT)
def test_decode_accepts_what_java_accepts(encoded: bytes, text: str) -> None:
    assert decode(encoded) == text


def test_overlong_surrogate_halves_join_like_java() -> None:
    """Java builds units from bits only; an overlong form is just another unit."""
    assert decode(b"\xed\xa0\xbd\xed\xb8\x80") == "\U0001f600"


MALFORMED = [
    pytest.param(b"\x80", 0, "continuation byte", id="lone continuation byte"),
    pytest.param(b"ab\xbf", 2, "continuation byte", id="continuation byte after ascii"),
    pytest.param(b"\xf0\x9f\x98\x80", 0, "4-byte UTF-8 sequence", id="4-byte emoji"),
    pytest.param(b"a\xf4\x8f\xbf\xbf", 1, "4-byte UTF-8 sequence", id="4-byte U+10FFFF"),
    pytest.param(b"\xf8", 0, "11111xxx", id="F8"),
    pytest.param(b"\xff", 0, "11111xxx", id="FF"),
    pytest.param(b"\xc3", 0, "truncated", id="2-byte cut off"),
    pytest.param(b"x\xe4\xb8", 1, "truncated", id="3-byte cut off after 2"),
    pytest.param(b"\xe4", 0, "truncated", id="3-byte cut off after 1"),
    pytest.param(b"\xe4A", 0, "truncated", id="cut off is reported before bad continuation"),
    pytest.param(b"\xc3A", 1, "bad continuation", id="2-byte bad continuation"),
    pytest.param(b"\xc3\xc3\xa9", 1, "bad continuation", id="2-byte lead as continuation"),
    pytest.param(b"\xe4A\xb8", 1, "bad continuation", id="3-byte bad second byte"),
    pytest.param(b"\xe4\xb8A", 2, "bad continuation", id="3-byte bad third byte"),
]


@pytest.mark.parametrize(("encoded", "offset", "says"), MALFORMED)
def test_decode_rejects_what_java_rejects(encoded: bytes, offset: int, says: str) -> None:
    with pytest.raises(MalformedInput) as caught:
        decode(encoded)
    assert caught.value.offset == offset
    assert says in str(caught.value)
    assert f"offset {offset}" in str(caught.value)


def test_four_byte_message_explains_the_surrogate_pair_form() -> None:
    with pytest.raises(MalformedInput, match=r"0xF0 at offset 0.*4-byte UTF-8.*surrogate pair"):
        decode(b"\xf0\x9f\x98\x80")


def test_truncated_message_counts_the_missing_bytes() -> None:
    with pytest.raises(MalformedInput, match=r"0xE4 starts a 3-byte sequence, but only 1 of its 2"):
        decode(b"\xe4\xb8")


def test_malformed_input_is_a_remote_protocol_error() -> None:
    assert issubclass(MalformedInput, RemoteProtocolError)
    assert issubclass(MalformedInput, ProtocolError)


@given(any_text)
def test_decode_inverts_encode_up_to_surrogate_pairing(text: str) -> None:
    decoded = decode(encode(text))
    assert decoded == mutf8.text_from_utf16(mutf8.utf16_code_units(text))
    if not has_adjacent_surrogate_pair(text):
        assert decoded == text


@given(st.text(st.characters(codec=None, exclude_categories=["Cs"])))
def test_encode_is_utf8_apart_from_nul_and_supplementary(text: str) -> None:
    if "\x00" not in text and all(ord(c) <= 0xFFFF for c in text):
        assert encode(text) == text.encode("utf-8")


@given(any_text)
def test_encode_length_counts_utf16_units_by_size(text: str) -> None:
    expected = sum(1 if 0 < unit < 0x80 else 2 if unit < 0x800 else 3 for unit in mutf8.utf16_code_units(text))
    assert len(encode(text)) == expected


@given(st.binary())
def test_decode_either_succeeds_or_raises_malformed_input(data: bytes) -> None:
    try:
        text = decode(data)
    except MalformedInput as error:
        assert 0 <= error.offset < len(data)
    else:
        # Re-encoding normalises overlong forms and plain 00 bytes, so compare
        # the decoded text, not the bytes.
        assert decode(encode(text)) == text
