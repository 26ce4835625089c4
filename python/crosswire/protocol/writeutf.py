"""Java's `writeUTF` framing: a 2-byte big-endian length, then modified UTF-8.

This is how the lecture's Java programs put a string on a socket
(`DataOutputStream.writeUTF`) and take it off again (`DataInputStream.readUTF`).
The length counts encoded bytes, not characters, so it caps the *encoding* at
65,535 bytes: 65,535 ASCII characters fit, but only 21,845 characters of
three bytes each.

Like h11, this module does no I/O.  `frame` and `unframe` work on whole byte
strings; `FrameDecoder` takes bytes as they arrive in any chunks and hands out
whole messages, answering `NEED_DATA` when it needs more bytes.
"""

from __future__ import annotations

import enum
from typing import Final

from crosswire.protocol import mutf8
from crosswire.protocol.errors import LocalProtocolError, RemoteProtocolError
from crosswire.protocol.mutf8 import MalformedInput

__all__ = [
    "END_OF_STREAM",
    "MAX_ENCODED_LENGTH",
    "NEED_DATA",
    "EncodedTooLong",
    "EndOfStream",
    "FrameDecoder",
    "MalformedInput",
    "NeedData",
    "TruncatedFrame",
    "frame",
    "unframe",
]

MAX_ENCODED_LENGTH: Final = 0xFFFF
"""The largest encoded string the 16-bit length prefix can announce."""

_HEADER_LENGTH: Final = 2


class NeedData(enum.Enum):
    """Type of `NEED_DATA`: the decoder needs more bytes before the next message."""

    NEED_DATA = "NEED_DATA"


class EndOfStream(enum.Enum):
    """Type of `END_OF_STREAM`: the stream ended cleanly, between two frames."""

    END_OF_STREAM = "END_OF_STREAM"


NEED_DATA: Final = NeedData.NEED_DATA
END_OF_STREAM: Final = EndOfStream.END_OF_STREAM


class EncodedTooLong(LocalProtocolError):
    """The string's modified UTF-8 encoding does not fit a 16-bit length.

    Java's `writeUTF` throws `UTFDataFormatException` ("encoded string ... too
    long: N bytes") for the same string.  `encoded_length` is N.
    """

    def __init__(self, encoded_length: int) -> None:
        super().__init__(
            f"encoded string too long: {encoded_length} bytes; writeUTF framing "
            f"allows at most {MAX_ENCODED_LENGTH} bytes of modified UTF-8 "
            f"(split the text, or use a framing with a longer length field)"
        )
        self.encoded_length = encoded_length


class TruncatedFrame(RemoteProtocolError):
    """The input ended inside a frame (where Java's `readUTF` throws `EOFException`)."""


def frame(text: str) -> bytes:
    """`text` framed exactly as `DataOutputStream.writeUTF` writes it.

    Raises `EncodedTooLong` if the encoding exceeds `MAX_ENCODED_LENGTH` bytes.
    """
    payload = mutf8.encode(text)
    if len(payload) > MAX_ENCODED_LENGTH:
        raise EncodedTooLong(len(payload))
    return len(payload).to_bytes(_HEADER_LENGTH, "big") + payload


def unframe(data: bytes) -> tuple[str, bytes]:
    """The first message in `data`, and the bytes after its frame, untouched.

    `data` must hold at least one whole frame: this is for input that is
    complete (use `FrameDecoder` for a stream).  Raises `TruncatedFrame` if it
    does not, and `MalformedInput` if the frame's payload is not modified
    UTF-8; Java checks the length before the payload, and so does this.
    """
    payload_length = _payload_length(data)
    if payload_length is None or len(data) < _HEADER_LENGTH + payload_length:
        raise TruncatedFrame(_truncation_message(data, payload_length))
    end = _HEADER_LENGTH + payload_length
    return mutf8.decode(data[_HEADER_LENGTH:end]), data[end:]


def _payload_length(buffered: bytes | bytearray) -> int | None:
    """The length a frame's header announces, or None if the header is incomplete."""
    if len(buffered) < _HEADER_LENGTH:
        return None
    return int.from_bytes(buffered[:_HEADER_LENGTH], "big")


def _truncation_message(buffered: bytes | bytearray, payload_length: int | None) -> str:
    if payload_length is None:
        return f"truncated frame: input ended after {len(buffered)} of the {_HEADER_LENGTH} length bytes"
    return (
        f"truncated frame: the header announces {payload_length} bytes of "
        f"modified UTF-8, but input ended after {len(buffered) - _HEADER_LENGTH}"
    )


class FrameDecoder:
    """Incremental writeUTF decoder: feed bytes in any chunks, take whole messages.

    `receive_data` only buffers; `next_message` does the work.  As with Java's
    `readUTF`, which reads a whole frame before decoding it, a frame whose
    payload is malformed is consumed before `MalformedInput` is raised, so the
    caller may report it and carry on with the next frame: the framing itself
    is still intact.  A `TruncatedFrame` is final.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._ended = False

    def receive_data(self, data: bytes) -> None:
        """Buffer `data`; an empty `data` means the peer ended the stream."""
        if self._ended and data:
            raise LocalProtocolError("received data after the end of the stream was signalled")
        if data:
            self._buffer += data
        else:
            self._ended = True

    def next_message(self) -> str | NeedData | EndOfStream:
        """The next whole message, `NEED_DATA`, or `END_OF_STREAM`.

        Raises `TruncatedFrame` if the stream ended inside a frame, and
        `MalformedInput` (after consuming the frame) for a bad payload.
        """
        payload_length = _payload_length(self._buffer)
        complete = payload_length is not None and len(self._buffer) >= _HEADER_LENGTH + payload_length
        if payload_length is None or not complete:
            if not self._ended:
                return NEED_DATA
            if not self._buffer:
                return END_OF_STREAM
            raise TruncatedFrame(_truncation_message(self._buffer, payload_length))
        end = _HEADER_LENGTH + payload_length
        payload = bytes(self._buffer[_HEADER_LENGTH:end])
        del self._buffer[:end]
        return mutf8.decode(payload)

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes buffered but not yet returned, and whether the stream has ended."""
        return bytes(self._buffer), self._ended
