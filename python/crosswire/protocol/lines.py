"""Newline-delimited messages over a stream, decoded incrementally (no I/O).

The lecture's multithreaded server answered each `recv` chunk, so its replies
followed TCP's segmentation instead of the client's messages. Lines give the
stream the boundaries it lacks: a message is whatever comes before a `\\n`.
"""

from __future__ import annotations

import enum
from typing import Final

from crosswire.protocol.errors import LocalProtocolError, RemoteProtocolError

MAX_LINE: Final = 65_536
NEWLINE: Final = b"\n"


class NeedData(enum.Enum):
    NEED_DATA = "NEED_DATA"


class EndOfStream(enum.Enum):
    END_OF_STREAM = "END_OF_STREAM"


NEED_DATA: Final = NeedData.NEED_DATA
END_OF_STREAM: Final = EndOfStream.END_OF_STREAM


class LineTooLong(RemoteProtocolError):
    """The peer sent more than MAX_LINE bytes without a newline."""


class NotUtf8(RemoteProtocolError):
    """A line is not valid UTF-8."""


class BadMessage(LocalProtocolError):
    """A message cannot be sent as one line (it contains a newline, or is not UTF-8)."""


def encode_line(message: bytes, require_utf8: bool = True) -> bytes:
    """`message` plus its newline; BadMessage if it could not come back as one line."""
    if NEWLINE in message:
        raise BadMessage("a line cannot contain a newline; nothing was sent")
    if not require_utf8:
        return message + NEWLINE
    try:
        message.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadMessage(f"a line must be UTF-8 ({error}); nothing was sent") from None
    return message + NEWLINE


def check_utf8(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8(f"line is not UTF-8: {error}") from None


class LineDecoder:
    """Feed bytes in any chunks; take whole lines (without their newline)."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self._buffer = bytearray()
        self._ended = False
        self._max_line = max_line

    def receive_data(self, data: bytes) -> None:
        """Buffer `data`; an empty `data` means the peer ended the stream."""
        if data:
            self._buffer += data
        else:
            self._ended = True

    def next_line(self) -> bytes | NeedData | EndOfStream:
        end = self._buffer.find(NEWLINE)
        if end >= 0:
            if end > self._max_line:
                raise LineTooLong(f"line of {end} bytes is longer than {self._max_line}")
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            return line
        if len(self._buffer) > self._max_line:
            raise LineTooLong(f"more than {self._max_line} bytes without a newline")
        if not self._ended:
            return NEED_DATA
        if self._buffer:  # an unterminated last line still counts
            line = bytes(self._buffer)
            self._buffer.clear()
            return line
        return END_OF_STREAM

    @property
    def buffered(self) -> int:
        return len(self._buffer)
