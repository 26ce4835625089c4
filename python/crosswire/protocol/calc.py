"""The calculator protocol (docs/protocols/calc.md): requests `OP A B`, replies `OK r` / `ERR CODE msg`.

No I/O here. A TCP server hands each line to `handle_line` (or its bytes to
`handle_line_bytes`) and writes the reply plus a newline; a UDP server hands
each datagram to `handle_datagram` and sends back what it returns. The client
side is `datagram_request`, `parse_reply` and `parse_datagram_reply`.
Twin of java/src/crosswire/calc/Calculator.java, CalcRequest.java and CalcReply.java.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, NamedTuple

from crosswire.protocol.calc_arithmetic import SYMBOLS, Operator, evaluate
from crosswire.protocol.calc_errors import CalcError, ErrorCode
from crosswire.protocol.calc_numbers import Operand, parse_operand
from crosswire.protocol.errors import LocalProtocolError, RemoteProtocolError

MAX_REQUEST_BYTES: Final = 1024
NO_ID: Final = "-"
"""The ID of the reply to a datagram whose ID cannot be read."""

_BLANKS: Final = re.compile("[ \t]+")
_REQUEST_ID: Final = re.compile("[A-Za-z0-9][A-Za-z0-9-]{0,15}")
_REQUEST_ID_BYTES: Final = re.compile(b"[A-Za-z0-9][A-Za-z0-9-]{0,15}")
_FIRST_TOKEN: Final = re.compile(b"[ \t]*([^ \t]*)")
_CODES: Final = {code.value: code for code in ErrorCode}


class BadReply(RemoteProtocolError):
    """A server's reply is not `OK <result>` or `ERR <code> <message>`."""


class BadRequestId(LocalProtocolError):
    """A client chose a request ID the protocol does not allow."""


@dataclass(frozen=True)
class CalcRequest:
    """One parsed request `OP A B`."""

    operator: Operator
    a: Operand
    b: Operand


def parse_request(text: str) -> CalcRequest:
    """The request in `text` (no terminator, length already checked); raises CalcError."""
    tokens = [token for token in _BLANKS.split(text) if token]
    if not tokens:
        raise CalcError(ErrorCode.SYNTAX, "empty request; expected OP A B")
    if len(tokens) != 3:
        raise CalcError(ErrorCode.SYNTAX, f"expected 3 tokens OP A B separated by spaces, got {len(tokens)}")
    operator = Operator.from_symbol(tokens[0])
    if operator is None:
        raise CalcError(ErrorCode.UNKNOWN_OP, f"unknown operator; expected one of {SYMBOLS}")
    return CalcRequest(operator, parse_operand(tokens[1], "first"), parse_operand(tokens[2], "second"))


@dataclass(frozen=True)
class CalcReply:
    """A reply: `code` is None for OK, and `body` is the result or the error message."""

    code: ErrorCode | None
    body: str

    @classmethod
    def ok(cls, result: str) -> CalcReply:
        return cls(None, result)

    @classmethod
    def error(cls, error: CalcError) -> CalcReply:
        return cls(error.code, error.detail)

    @property
    def is_ok(self) -> bool:
        return self.code is None

    def text(self) -> str:
        """The reply as it goes on the wire (without a newline)."""
        if self.code is None:
            return f"OK {self.body}"
        return f"ERR {self.code.value} {self.body}"


def parse_reply(text: str) -> CalcReply:
    """The reply a server sent (without its newline); raises BadReply."""
    kind, _, rest = text.partition(" ")
    if kind == "OK" and rest:
        return CalcReply.ok(rest)
    code_name, _, message = rest.partition(" ")
    code = _CODES.get(code_name)
    if kind == "ERR" and code is not None and message:
        return CalcReply(code, message)
    raise BadReply(f"expected 'OK <result>' or 'ERR <code> <message>', got {text[:80]!r}")


def reply_to(request: str) -> CalcReply:
    """The reply to one request (no terminator, length already checked)."""
    try:
        parsed = parse_request(request)
        return CalcReply.ok(evaluate(parsed.operator, parsed.a, parsed.b))
    except CalcError as error:
        return CalcReply.error(error)


def strip_terminator(text: str) -> str:
    """`text` without one trailing "\\n", then without one trailing "\\r"."""
    text = text.removesuffix("\n")
    return text.removesuffix("\r")


def utf8_length(text: str) -> int:
    """How many bytes `text` takes in UTF-8 (a lone surrogate counts 3, as Java counts it)."""
    return len(text.encode("utf-8", "surrogatepass"))


def too_long() -> CalcError:
    return CalcError(ErrorCode.TOO_LONG, f"request is longer than {MAX_REQUEST_BYTES} bytes")


def not_utf8() -> CalcError:
    return CalcError(ErrorCode.BAD_UTF8, "request is not valid UTF-8")


def handle_line(line: str) -> str:
    """The reply (without newline) to one TCP request line (with or without its terminator)."""
    request = strip_terminator(line)
    if utf8_length(request) > MAX_REQUEST_BYTES:
        return CalcReply.error(too_long()).text()
    return reply_to(request).text()


def _strip_terminator_bytes(data: bytes) -> bytes:
    return data.removesuffix(b"\n").removesuffix(b"\r")


def handle_line_bytes(line: bytes) -> bytes:
    """`handle_line` for a line as received: invalid UTF-8 gets `ERR BAD_UTF8`."""
    request = _strip_terminator_bytes(line)
    if len(request) > MAX_REQUEST_BYTES:
        return CalcReply.error(too_long()).text().encode("ascii")
    try:
        text = request.decode("utf-8")
    except UnicodeDecodeError:
        return CalcReply.error(not_utf8()).text().encode("ascii")
    return reply_to(text).text().encode("utf-8")


def handle_datagram(datagram: bytes) -> bytes:
    """The reply datagram to one request datagram `ID OP A B`; the reply starts with the same ID."""
    message = _strip_terminator_bytes(datagram)
    first = _FIRST_TOKEN.match(message)
    assert first is not None  # the pattern matches every input
    request_id = first.group(1)
    if _REQUEST_ID_BYTES.fullmatch(request_id) is None:
        error = CalcError(
            ErrorCode.SYNTAX,
            "expected ID OP A B, where ID is 1 to 16 letters, digits or '-', starting with a letter or digit",
        )
        return _datagram_reply(NO_ID, CalcReply.error(error))
    prefix = request_id.decode("ascii")
    if len(message) > MAX_REQUEST_BYTES:
        return _datagram_reply(prefix, CalcReply.error(too_long()))
    try:
        text = message[first.end() :].decode("utf-8")
    except UnicodeDecodeError:
        return _datagram_reply(prefix, CalcReply.error(not_utf8()))
    return _datagram_reply(prefix, reply_to(text))


def _datagram_reply(request_id: str, reply: CalcReply) -> bytes:
    return f"{request_id} {reply.text()}".encode()


def datagram_request(request_id: str, request: str) -> bytes:
    """The datagram a client sends for `request` under `request_id`; raises BadRequestId."""
    if _REQUEST_ID.fullmatch(request_id) is None:
        raise BadRequestId(
            f"request ID {request_id[:40]!r} is not 1 to 16 letters, digits or '-' starting with a letter or digit"
        )
    return f"{request_id} {request}".encode()


class DatagramReply(NamedTuple):
    """A reply datagram: the request ID it answers ("-" if the server could not read ours)."""

    request_id: str
    reply: CalcReply


def parse_datagram_reply(datagram: bytes) -> DatagramReply:
    """The request ID and reply of a reply datagram."""
    try:
        text = datagram.decode("utf-8")
    except UnicodeDecodeError:
        raise BadReply("reply datagram is not UTF-8") from None
    request_id, _, reply = text.partition(" ")
    if request_id != NO_ID and _REQUEST_ID.fullmatch(request_id) is None:
        raise BadReply(f"reply datagram does not start with a request ID: {text[:80]!r}")
    return DatagramReply(request_id, parse_reply(reply))
