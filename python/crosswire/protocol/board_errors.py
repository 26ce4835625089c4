"""The message board protocol's errors (docs/protocols/board.md): what broke, and whose fault it was.

Three families, each a `crosswire.protocol.errors` branch:

* `FramingError`: the TCP stream's `int length` framing is broken (a length
  outside 1..1,048,576, or the stream ended inside a frame). Nothing after it
  can be trusted: the server closes the connection.
* `MalformedBody`: one body (TCP) or datagram is not what the protocol says,
  but the framing is intact. A server answers `ERROR BAD_REQUEST` (with the
  request_id if it could be read, else 0) and reads the next request; a
  subscriber ignores the datagram.
* `BoardError`: a well-formed request the server refuses (bad topic, wrong
  token, ...); it carries the `ErrorCode` of the `ERROR` reply.

Twin of java/src/crosswire/board/ (the Java names are the same).
"""

from __future__ import annotations

import enum

from crosswire.protocol.errors import LocalProtocolError, RemoteProtocolError


class ErrorCode(enum.StrEnum):
    """Every code an ERROR reply carries in version 1; clients decide on the code, never on the message."""

    BAD_REQUEST = "BAD_REQUEST"
    BAD_TOPIC = "BAD_TOPIC"
    TOPIC_EXISTS = "TOPIC_EXISTS"
    NO_SUCH_BOARD = "NO_SUCH_BOARD"
    BAD_TOKEN = "BAD_TOKEN"
    TOO_LONG = "TOO_LONG"
    BAD_RANGE = "BAD_RANGE"


class FramingError(RemoteProtocolError):
    """The `int length` framing of the TCP stream is broken; close the connection."""


class BadLength(FramingError):
    """A frame announced a length outside 1..1,048,576 bytes."""

    def __init__(self, length: int, maximum: int) -> None:
        super().__init__(f"frame length {length} is outside 1..{maximum}: the stream cannot be read further")
        self.length = length


class TruncatedStream(FramingError):
    """The stream ended inside a frame (in its length, or in its body)."""


class MalformedBody(RemoteProtocolError):
    """One body or datagram is malformed; the framing around it is intact.

    `request_id` is the body's request_id when it could be read (a body of at
    least 6 bytes), else 0: the id an ERROR reply to it carries. It is 0 for
    datagrams, which have none.
    """

    def __init__(self, detail: str, request_id: int = 0) -> None:
        super().__init__(detail)
        self.detail = detail
        self.request_id = request_id


class UnsupportedVersion(MalformedBody):
    """The version byte is not 1."""

    def __init__(self, version: int, request_id: int = 0) -> None:
        super().__init__(f"unsupported protocol version {version}", request_id)
        self.version = version


class UnknownKind(MalformedBody):
    """The kind byte names no message this side can receive."""

    def __init__(self, kind: int, expected: str, request_id: int = 0) -> None:
        super().__init__(f"unknown kind {kind}: expected {expected}", request_id)
        self.kind = kind


class TruncatedBody(MalformedBody):
    """The body ended before all of its fields."""


class TrailingBytes(MalformedBody):
    """The body goes on after its last field."""


class BadText(MalformedBody):
    """A UTF field is not modified UTF-8 as Java's `readUTF` reads it."""


class NegativeCount(MalformedBody):
    """A BOARDS or MESSAGES count is negative."""


class FieldOutOfRange(LocalProtocolError):
    """A number does not fit the field it is written to (an int, a long, a byte)."""


class BoardError(RemoteProtocolError):
    """A request the server refuses: `code` for programs, `detail` (one line) for people."""

    def __init__(self, code: ErrorCode | str, detail: str) -> None:
        super().__init__(f"{code} {detail}")
        self.code = str(code)
        self.detail = detail
