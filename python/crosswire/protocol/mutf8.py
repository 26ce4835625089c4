"""Java's modified UTF-8, the encoding inside `DataOutputStream.writeUTF`.

The specification is the "Modified UTF-8" section of the `java.io.DataInput`
javadoc.  It differs from standard UTF-8 in two ways:

* U+0000 is written as the two bytes ``C0 80``, so an encoded string never
  contains a zero byte;
* Java strings are UTF-16 code units, and each unit is encoded on its own, so a
  supplementary character (above U+FFFF) becomes its surrogate pair, each
  surrogate a 3-byte sequence (6 bytes in all, never a 4-byte sequence), and a
  lone surrogate is encoded like any other unit.

A Python `str` is a sequence of code points, not UTF-16 code units, so this
module maps between the two views: a code point above U+FFFF becomes its
surrogate pair on the way out, and on the way in a high surrogate followed by a
low surrogate is joined back into one code point, while lone surrogates stay
lone code points.  Hence ``decode(encode(s)) == s`` for every `str` in which no
high-surrogate code point is directly followed by a low-surrogate code point;
such an adjacent pair encodes exactly like the character it stands for (Java
cannot tell them apart either), so it decodes as that one character.

`decode` accepts exactly what `DataInputStream.readUTF` accepts, which is more
lenient than a strict UTF-8 decoder (see `decode`).  No I/O happens here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crosswire.protocol.errors import RemoteProtocolError

__all__ = [
    "MalformedInput",
    "decode",
    "encode",
    "text_from_utf16",
    "utf16_code_units",
]

_SUPPLEMENTARY = re.compile("[\U00010000-\U0010ffff]")
_ASCII_RUN = re.compile(b"[\x00-\x7f]+")


class MalformedInput(RemoteProtocolError):
    """The bytes are not modified UTF-8 as `DataInputStream.readUTF` reads it.

    `offset` is the index, within the encoded string, of the byte at fault
    (for a truncated sequence: of its lead byte).  Java would throw
    `UTFDataFormatException` for the same input.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def _surrogate_pair(match: re.Match[str]) -> str:
    above_bmp = ord(match.group()) - 0x10000
    return chr(0xD800 | (above_bmp >> 10)) + chr(0xDC00 | (above_bmp & 0x3FF))


def _as_utf16_text(text: str) -> str:
    """`text` with each supplementary character split into its surrogate pair."""
    return _SUPPLEMENTARY.sub(_surrogate_pair, text)


def utf16_code_units(text: str) -> list[int]:
    """The UTF-16 code units a Java `String` holding `text` would contain."""
    return [ord(unit) for unit in _as_utf16_text(text)]


def text_from_utf16(units: Sequence[int]) -> str:
    """The Python `str` for Java's UTF-16 `units`: pairs joined, lone surrogates kept."""
    # "surrogatepass" lets lone surrogates through; the UTF-16 decoder joins
    # every high surrogate that is directly followed by a low one.
    raw = "".join(map(chr, units)).encode("utf-16-le", "surrogatepass")
    return raw.decode("utf-16-le", "surrogatepass")


def encode(text: str) -> bytes:
    """`text` in modified UTF-8, byte for byte what Java's `writeUTF` writes after its length."""
    # Once every unit is a BMP code point (surrogates included), CPython's
    # UTF-8 encoder with "surrogatepass" writes each as its 1/2/3-byte form,
    # which is modified UTF-8 except for U+0000; in UTF-8 output a zero byte
    # can only come from U+0000.
    utf8 = _as_utf16_text(text).encode("utf-8", "surrogatepass")
    return utf8.replace(b"\x00", b"\xc0\x80")


def decode(data: bytes) -> str:
    """Decode modified UTF-8 exactly as `DataInputStream.readUTF` decodes its payload.

    Like Java, this only looks at the high bits of each byte: it accepts
    overlong forms (``C0 80``, but also ``E0 80 80`` or ``C1 BF``), a plain
    ``00`` byte, and encoded surrogates in any order.  It rejects a byte
    ``10xxxxxx`` where a character should start, any byte ``1111xxxx`` (so
    every 4-byte UTF-8 sequence), a continuation byte that is not
    ``10xxxxxx``, and a sequence cut off by the end of `data`.

    Raises `MalformedInput` for the rejected cases.
    """
    units: list[int] = []
    end = len(data)
    # Java copies a leading ASCII run before its general loop; this skips
    # ASCII runs anywhere, which changes only speed, not the result.
    count = 0
    while count < end:
        ascii_run = _ASCII_RUN.match(data, count)
        if ascii_run is not None:
            units.extend(data[count : ascii_run.end()])
            count = ascii_run.end()
            continue
        lead = data[count]
        kind = lead >> 4
        if kind in (0b1100, 0b1101):  # 110xxxxx 10xxxxxx
            _check_sequence(data, count, 2)
            units.append(((lead & 0x1F) << 6) | (data[count + 1] & 0x3F))
            count += 2
        elif kind == 0b1110:  # 1110xxxx 10xxxxxx 10xxxxxx
            _check_sequence(data, count, 3)
            units.append(((lead & 0x0F) << 12) | ((data[count + 1] & 0x3F) << 6) | (data[count + 2] & 0x3F))
            count += 3
        else:
            raise _bad_lead_byte(lead, count)
    return text_from_utf16(units)


def _check_sequence(data: bytes, start: int, length: int) -> None:
    """Raise unless `data[start:start+length]` is a lead byte and its continuations.

    Java checks that the sequence fits before it looks at the continuation
    bytes, so a cut-off sequence is reported as cut off even when the bytes
    that are there are wrong too.
    """
    lead = data[start]
    if start + length > len(data):
        have = len(data) - start - 1
        raise MalformedInput(
            f"truncated sequence at offset {start}: lead byte 0x{lead:02X} starts a "
            f"{length}-byte sequence, but only {have} of its {length - 1} continuation "
            f"byte(s) remain before the end of the encoded string",
            start,
        )
    for offset in range(start + 1, start + length):
        if data[offset] & 0xC0 != 0x80:
            raise MalformedInput(
                f"bad continuation byte 0x{data[offset]:02X} at offset {offset}: the "
                f"{length}-byte sequence starting at offset {start} (lead byte "
                f"0x{lead:02X}) needs bytes of the form 10xxxxxx",
                offset,
            )


def _bad_lead_byte(lead: int, offset: int) -> MalformedInput:
    """The error for a byte that cannot start a character in modified UTF-8."""
    if lead & 0xC0 == 0x80:
        why = "is a continuation byte (10xxxxxx) where a character should start"
    elif lead & 0xF8 == 0xF0:
        why = (
            "starts a 4-byte UTF-8 sequence, which modified UTF-8 never uses: Java "
            "writes a character above U+FFFF as its surrogate pair, two 3-byte "
            "sequences (U+1F600 is ED A0 BD ED B8 80, not F0 9F 98 80)"
        )
    else:
        why = "is of the form 11111xxx, which starts no sequence of any length"
    return MalformedInput(f"bad lead byte 0x{lead:02X} at offset {offset}: it {why}", offset)
