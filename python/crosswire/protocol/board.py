"""The message board protocol, version 1 (docs/protocols/board.md): every message, as bytes, without I/O.

TCP messages are `int length` + body; a body starts `byte version, byte kind,
int request_id`. Multicast datagrams are one body each, `byte version, byte
kind` then fields. Everything is big-endian `DataOutputStream`; strings are
`writeUTF` (u16 length + modified UTF-8).

* `encode(message)` gives the bytes to send: a framed TCP message, or a
  datagram (`encode_body` gives a TCP message's body without its length).
* `MessageDecoder` takes a TCP stream in chunks of any size and hands out
  whole messages, `NEED_DATA`, or `END_OF_STREAM`, like h11. It raises a
  `FramingError` (final: close the connection) or a `MalformedBody` (the body
  was consumed; answer it and go on).
* `decode_datagram(bytes)` reads one MSG or HEARTBEAT.
* `check_topic`, `check_text`, `check_token` are the limits, raising
  `BoardError` with the ERROR code the server answers.

The decoder checks structure only; what a field's value means (a topic's
characters, a token, a range) is the server's to judge, with its own codes.
Twin of java/src/crosswire/board/ (BoardCodec, MessageDecoder and the message records).
"""

from __future__ import annotations

import enum
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from crosswire.protocol import mutf8, writeutf
from crosswire.protocol.board_errors import (
    BadLength,
    BadText,
    BoardError,
    ErrorCode,
    FieldOutOfRange,
    MalformedBody,
    NegativeCount,
    TrailingBytes,
    TruncatedBody,
    TruncatedStream,
    UnknownKind,
    UnsupportedVersion,
)
from crosswire.protocol.errors import LocalProtocolError

VERSION: Final = 1
MAX_BODY: Final = 1_048_576
"""The largest TCP body a length may announce (the smallest is 1)."""
MAX_TEXT_BYTES: Final = 8_000
"""The longest text, in bytes of modified UTF-8: a MSG datagram always fits one UDP datagram."""
MAX_FETCH: Final = 1_000
"""The most messages one MESSAGES reply carries."""
TOKEN_LENGTH: Final = 32

_TOPIC: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TOKEN: Final = re.compile(r"[0-9a-f]{32}")
_LENGTH_BYTES: Final = 4
_REQUEST_ID_END: Final = 6  # version, kind, int request_id


class Kind(enum.IntEnum):
    CREATE = 1
    LIST = 2
    POST = 3
    LOOKUP = 4
    FETCH = 5
    MSG = 16
    HEARTBEAT = 17
    CREATED = 65
    BOARDS = 66
    POSTED = 67
    BOARD = 68
    MESSAGES = 69
    ERROR = 127


# --- the messages -----------------------------------------------------------------


@dataclass(frozen=True)
class Create:
    request_id: int
    topic: str


@dataclass(frozen=True)
class ListBoards:
    request_id: int


@dataclass(frozen=True)
class Post:
    request_id: int
    topic: str
    token: str
    text: str


@dataclass(frozen=True)
class Lookup:
    request_id: int
    topic: str


@dataclass(frozen=True)
class Fetch:
    """FETCH from_seq..to_seq, both inclusive; to_seq 0 means up to the latest."""

    request_id: int
    topic: str
    from_seq: int
    to_seq: int


@dataclass(frozen=True)
class Created:
    request_id: int
    topic: str
    group: str
    port: int
    token: str


@dataclass(frozen=True)
class BoardEntry:
    """One board in a BOARDS reply."""

    topic: str
    group: str
    port: int
    last_seq: int


@dataclass(frozen=True)
class Boards:
    request_id: int
    boards: tuple[BoardEntry, ...]


@dataclass(frozen=True)
class Posted:
    request_id: int
    topic: str
    seq: int


@dataclass(frozen=True)
class Board:
    """The reply to LOOKUP: where a board is multicast, and its latest sequence number."""

    request_id: int
    topic: str
    group: str
    port: int
    last_seq: int


@dataclass(frozen=True)
class MessageEntry:
    """One stored message in a MESSAGES reply."""

    seq: int
    time_ms: int
    text: str


@dataclass(frozen=True)
class Messages:
    request_id: int
    topic: str
    messages: tuple[MessageEntry, ...]


@dataclass(frozen=True)
class ErrorReply:
    """ERROR: `code` is one of `ErrorCode` in version 1 (kept as text, so a newer code still reads)."""

    request_id: int
    code: str
    message: str


@dataclass(frozen=True)
class Msg:
    """The MSG datagram: one accepted post, multicast to its board's group."""

    topic: str
    seq: int
    time_ms: int
    text: str


@dataclass(frozen=True)
class Heartbeat:
    topic: str
    last_seq: int


Request = Create | ListBoards | Post | Lookup | Fetch
Reply = Created | Boards | Posted | Board | Messages | ErrorReply
TcpMessage = Request | Reply
Datagram = Msg | Heartbeat
Message = TcpMessage | Datagram
M = TypeVar("M")

REQUEST_KINDS: Final = frozenset({Kind.CREATE, Kind.LIST, Kind.POST, Kind.LOOKUP, Kind.FETCH})
REPLY_KINDS: Final = frozenset({Kind.CREATED, Kind.BOARDS, Kind.POSTED, Kind.BOARD, Kind.MESSAGES, Kind.ERROR})
DATAGRAM_KINDS: Final = frozenset({Kind.MSG, Kind.HEARTBEAT})


# --- limits -------------------------------------------------------------------------


def check_topic(topic: str) -> str:
    """`topic` if it is 1 to 64 characters from [A-Za-z0-9._-]; else BoardError BAD_TOPIC."""
    if _TOPIC.fullmatch(topic) is None:
        raise BoardError(ErrorCode.BAD_TOPIC, f"topic {topic[:80]!r} is not 1 to 64 characters from [A-Za-z0-9._-]")
    return topic


def text_length(text: str) -> int:
    """How many bytes of modified UTF-8 `text` takes (what the 8,000-byte limit counts)."""
    return len(mutf8.encode(text))


def check_text(text: str) -> str:
    """`text` if its modified UTF-8 is at most 8,000 bytes; else BoardError TOO_LONG."""
    length = text_length(text)
    if length > MAX_TEXT_BYTES:
        raise BoardError(ErrorCode.TOO_LONG, f"text is {length} bytes of modified UTF-8; the limit is {MAX_TEXT_BYTES}")
    return text


def is_token(token: str) -> bool:
    return _TOKEN.fullmatch(token) is not None


def check_token(token: str) -> str:
    """`token` if it is 32 lowercase hex characters; else BoardError BAD_TOKEN."""
    if not is_token(token):
        raise BoardError(ErrorCode.BAD_TOKEN, "a token is 32 lowercase hex characters, as CREATE returned it")
    return token


# --- encoding -----------------------------------------------------------------------

_FORMATS: Final = {"byte": ">B", "int": ">i", "long": ">q"}


class _Writer:
    def __init__(self, kind: Kind) -> None:
        self.parts = [bytes([VERSION, kind])]

    def number(self, field: str, value: int, name: str) -> _Writer:
        try:
            self.parts.append(struct.pack(_FORMATS[field], value))
        except struct.error:
            raise FieldOutOfRange(f"{name} = {value} does not fit a Java {field}") from None
        return self

    def utf(self, text: str) -> _Writer:
        self.parts.append(writeutf.frame(text))
        return self

    def done(self) -> bytes:
        return b"".join(self.parts)


def _request(kind: Kind, request_id: int) -> _Writer:
    return _Writer(kind).number("int", request_id, "request_id")


def encode_body(message: Message) -> bytes:
    """The body of `message` (for a datagram, the whole datagram).

    Raises `FieldOutOfRange` or `writeutf.EncodedTooLong` for values that
    cannot be written; it does not apply the limits (`check_*`), so a test can
    send what a server must refuse.
    """
    match message:
        case Create(request_id, topic):
            return _request(Kind.CREATE, request_id).utf(topic).done()
        case Lookup(request_id, topic):
            return _request(Kind.LOOKUP, request_id).utf(topic).done()
        case ListBoards(request_id):
            return _request(Kind.LIST, request_id).done()
        case Post(request_id, topic, token, text):
            return _request(Kind.POST, request_id).utf(topic).utf(token).utf(text).done()
        case Fetch(request_id, topic, from_seq, to_seq):
            writer = _request(Kind.FETCH, request_id).utf(topic)
            return writer.number("long", from_seq, "from_seq").number("long", to_seq, "to_seq").done()
        case Created(request_id, topic, group, port, token):
            writer = _request(Kind.CREATED, request_id).utf(topic).utf(group)
            return writer.number("int", port, "port").utf(token).done()
        case Boards(request_id, boards):
            writer = _request(Kind.BOARDS, request_id).number("int", len(boards), "count")
            for entry in boards:
                writer.utf(entry.topic).utf(entry.group).number("int", entry.port, "port")
                writer.number("long", entry.last_seq, "last_seq")
            return writer.done()
        case Posted(request_id, topic, seq):
            return _request(Kind.POSTED, request_id).utf(topic).number("long", seq, "seq").done()
        case Board(request_id, topic, group, port, last_seq):
            writer = _request(Kind.BOARD, request_id).utf(topic).utf(group).number("int", port, "port")
            return writer.number("long", last_seq, "last_seq").done()
        case Messages(request_id, topic, messages):
            writer = _request(Kind.MESSAGES, request_id).utf(topic).number("int", len(messages), "count")
            for item in messages:
                writer.number("long", item.seq, "seq").number("long", item.time_ms, "time_ms").utf(item.text)
            return writer.done()
        case ErrorReply(request_id, code, text):
            return _request(Kind.ERROR, request_id).utf(code).utf(text).done()
        case Msg(topic, seq, time_ms, text):
            writer = _Writer(Kind.MSG).utf(topic).number("long", seq, "seq")
            return writer.number("long", time_ms, "time_ms").utf(text).done()
        case Heartbeat(topic, last_seq):
            return _Writer(Kind.HEARTBEAT).utf(topic).number("long", last_seq, "last_seq").done()
    raise LocalProtocolError(f"not a board protocol message: {message!r}")


def encode(message: Message) -> bytes:
    """The bytes to send: `int length` + body for a TCP message, the bare body for a datagram."""
    body = encode_body(message)
    if isinstance(message, Msg | Heartbeat):
        return body
    if len(body) > MAX_BODY:
        raise LocalProtocolError(f"a {len(body)}-byte body is over the {MAX_BODY}-byte limit of one TCP message")
    return len(body).to_bytes(_LENGTH_BYTES, "big") + body


def messages_that_fit(request_id: int, topic: str, entries: list[MessageEntry]) -> tuple[MessageEntry, ...]:
    """The longest prefix of `entries` one MESSAGES reply can carry: at most 1,000, within the body limit.

    A thousand texts of 8,000 bytes would be 8 MB, over the 1 MiB a length may
    announce; the subscriber asks again for the rest either way.
    """
    size = len(encode_body(Messages(request_id, topic, ())))
    fitting: list[MessageEntry] = []
    for entry in entries[:MAX_FETCH]:
        size += 8 + 8 + 2 + text_length(entry.text)
        if size > MAX_BODY:
            break
        fitting.append(entry)
    return tuple(fitting)


# --- decoding -----------------------------------------------------------------------


class _Reader:
    """Fields read off one body in order; running out is a `TruncatedBody`."""

    def __init__(self, body: bytes, offset: int, request_id: int) -> None:
        self.body = body
        self.offset = offset
        self.request_id = request_id

    def _take(self, count: int, what: str) -> bytes:
        end = self.offset + count
        if end > len(self.body):
            raise TruncatedBody(
                f"body ends inside {what}: {len(self.body)} bytes, {what} needs bytes {self.offset}..{end - 1}",
                self.request_id,
            )
        data = self.body[self.offset : end]
        self.offset = end
        return data

    def int32(self, what: str) -> int:
        return int.from_bytes(self._take(4, what), "big", signed=True)

    def int64(self, what: str) -> int:
        return int.from_bytes(self._take(8, what), "big", signed=True)

    def count(self, what: str) -> int:
        value = self.int32(what)
        if value < 0:
            raise NegativeCount(f"{what} is {value}", self.request_id)
        return value

    def utf(self, what: str) -> str:
        length = int.from_bytes(self._take(2, f"the length of {what}"), "big")
        payload = self._take(length, what)
        try:
            return mutf8.decode(payload)
        except mutf8.MalformedInput as error:
            raise BadText(f"{what} is not modified UTF-8: {error}", self.request_id) from None

    def finish(self) -> None:
        extra = len(self.body) - self.offset
        if extra:
            raise TrailingBytes(f"{extra} bytes after the last field", self.request_id)


def _header(body: bytes, kinds: frozenset[Kind], expected: str) -> tuple[Kind, int]:
    """The kind and request_id of a TCP body, after checking its version and kind."""
    request_id = int.from_bytes(body[2:_REQUEST_ID_END], "big", signed=True) if len(body) >= _REQUEST_ID_END else 0
    if body and body[0] != VERSION:
        raise UnsupportedVersion(body[0], request_id)
    if len(body) >= 2 and body[1] not in kinds:
        raise UnknownKind(body[1], expected, request_id)
    if len(body) < _REQUEST_ID_END:
        raise TruncatedBody(f"a {len(body)}-byte body has no room for version, kind and request_id (6 bytes)")
    return Kind(body[1]), request_id


def decode_request(body: bytes) -> Request:
    """The request in one TCP body (without its length); raises a `MalformedBody`."""
    kind, request_id = _header(body, REQUEST_KINDS, "a request (1 to 5)")
    read = _Reader(body, _REQUEST_ID_END, request_id)
    request: Request
    if kind is Kind.CREATE:
        request = Create(request_id, read.utf("topic"))
    elif kind is Kind.LIST:
        request = ListBoards(request_id)
    elif kind is Kind.POST:
        request = Post(request_id, read.utf("topic"), read.utf("token"), read.utf("text"))
    elif kind is Kind.LOOKUP:
        request = Lookup(request_id, read.utf("topic"))
    else:
        request = Fetch(request_id, read.utf("topic"), read.int64("from_seq"), read.int64("to_seq"))
    read.finish()
    return request


def decode_reply(body: bytes) -> Reply:
    """The reply in one TCP body (without its length); raises a `MalformedBody`."""
    kind, request_id = _header(body, REPLY_KINDS, "a reply (65 to 69, 127)")
    read = _Reader(body, _REQUEST_ID_END, request_id)
    reply: Reply
    if kind is Kind.CREATED:
        reply = Created(request_id, read.utf("topic"), read.utf("group"), read.int32("port"), read.utf("token"))
    elif kind is Kind.BOARDS:
        count = read.count("the board count")
        reply = Boards(request_id, tuple(
            BoardEntry(read.utf("topic"), read.utf("group"), read.int32("port"), read.int64("last_seq"))
            for _ in range(count)
        ))
    elif kind is Kind.POSTED:
        reply = Posted(request_id, read.utf("topic"), read.int64("seq"))
    elif kind is Kind.BOARD:
        reply = Board(request_id, read.utf("topic"), read.utf("group"), read.int32("port"), read.int64("last_seq"))
    elif kind is Kind.MESSAGES:
        topic = read.utf("topic")
        count = read.count("the message count")
        reply = Messages(request_id, topic, tuple(
            MessageEntry(read.int64("seq"), read.int64("time_ms"), read.utf("text")) for _ in range(count)
        ))
    else:
        reply = ErrorReply(request_id, read.utf("code"), read.utf("message"))
    read.finish()
    return reply


def decode_datagram(datagram: bytes) -> Datagram:
    """The MSG or HEARTBEAT in one datagram; raises a `MalformedBody` (an `UnsupportedVersion` to ignore)."""
    if not datagram:
        raise TruncatedBody("an empty datagram")
    if datagram[0] != VERSION:
        raise UnsupportedVersion(datagram[0])
    if len(datagram) < 2:
        raise TruncatedBody("a 1-byte datagram has no kind")
    if datagram[1] not in DATAGRAM_KINDS:
        raise UnknownKind(datagram[1], "a datagram (16 MSG or 17 HEARTBEAT)")
    read = _Reader(datagram, 2, 0)
    message: Datagram
    if datagram[1] == Kind.MSG:
        message = Msg(read.utf("topic"), read.int64("seq"), read.int64("time_ms"), read.utf("text"))
    else:
        message = Heartbeat(read.utf("topic"), read.int64("last_seq"))
    read.finish()
    return message


class NeedData(enum.Enum):
    """Type of `NEED_DATA`: more bytes are needed before the next message."""

    NEED_DATA = "NEED_DATA"


class EndOfStream(enum.Enum):
    """Type of `END_OF_STREAM`: the stream ended cleanly, between two messages."""

    END_OF_STREAM = "END_OF_STREAM"


NEED_DATA: Final = NeedData.NEED_DATA
END_OF_STREAM: Final = EndOfStream.END_OF_STREAM


class MessageDecoder(Generic[M]):
    """Incremental decoder of one TCP stream of board messages: requests (`request_decoder()`) or replies.

    `receive_data` only buffers (`b""` marks the end of the stream);
    `next_message` returns a message, `NEED_DATA` or `END_OF_STREAM`. A
    `MalformedBody` is raised after its frame was consumed, so the caller can
    answer it and go on; a `FramingError` is final (every later call raises it
    again). A bad length is noticed as soon as its 4 bytes arrive.
    """

    def __init__(self, decode_body: Callable[[bytes], M]) -> None:
        self._decode_body: Callable[[bytes], M] = decode_body
        self._buffer = bytearray()
        self._ended = False
        self._broken: BadLength | TruncatedStream | None = None

    def receive_data(self, data: bytes) -> None:
        if self._ended and data:
            raise LocalProtocolError("received data after the end of the stream was signalled")
        if data:
            self._buffer += data
        else:
            self._ended = True

    def next_message(self) -> M | NeedData | EndOfStream:
        if self._broken is not None:
            raise self._broken
        if len(self._buffer) < _LENGTH_BYTES:
            return self._incomplete(f"input ended after {len(self._buffer)} of the 4 length bytes")
        length = int.from_bytes(self._buffer[:_LENGTH_BYTES], "big", signed=True)
        if not 1 <= length <= MAX_BODY:
            self._broken = BadLength(length, MAX_BODY)
            raise self._broken
        end = _LENGTH_BYTES + length
        if len(self._buffer) < end:
            return self._incomplete(
                f"the length announces {length} bytes, but input ended after {len(self._buffer) - _LENGTH_BYTES}"
            )
        body = bytes(self._buffer[_LENGTH_BYTES:end])
        del self._buffer[:end]
        return self._decode_body(body)

    def _incomplete(self, detail: str) -> NeedData | EndOfStream:
        if not self._ended:
            return NEED_DATA
        if not self._buffer:
            return END_OF_STREAM
        self._broken = TruncatedStream(f"truncated frame: {detail}")
        raise self._broken

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """Bytes buffered but not yet returned, and whether the stream has ended."""
        return bytes(self._buffer), self._ended


def request_decoder() -> MessageDecoder[Request]:
    """The decoder a server reads its connection with."""
    return MessageDecoder(decode_request)


def reply_decoder() -> MessageDecoder[Reply]:
    """The decoder a client reads the server's replies with."""
    return MessageDecoder(decode_reply)


__all__ = [
    "END_OF_STREAM",
    "MAX_BODY",
    "MAX_FETCH",
    "MAX_TEXT_BYTES",
    "NEED_DATA",
    "Board",
    "BoardEntry",
    "Boards",
    "Create",
    "Created",
    "Datagram",
    "ErrorReply",
    "Fetch",
    "Heartbeat",
    "Kind",
    "ListBoards",
    "Lookup",
    "MalformedBody",
    "Message",
    "MessageDecoder",
    "MessageEntry",
    "Messages",
    "Msg",
    "Post",
    "Posted",
    "Reply",
    "Request",
    "TcpMessage",
    "check_text",
    "check_token",
    "check_topic",
    "decode_datagram",
    "decode_reply",
    "decode_request",
    "encode",
    "encode_body",
    "is_token",
    "messages_that_fit",
    "reply_decoder",
    "request_decoder",
    "text_length",
]
