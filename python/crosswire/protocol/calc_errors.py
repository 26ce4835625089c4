"""The calculator protocol's error replies (docs/protocols/calc.md): a fixed list of codes.

A bad request is the peer's fault, so `CalcError` is a `RemoteProtocolError`;
a server turns it into an `ERR <code> <message>` reply and keeps serving.
Twin of java/src/crosswire/calc/ErrorCode.java and CalcError.java.
"""

from __future__ import annotations

import enum

from crosswire.protocol.errors import RemoteProtocolError


class ErrorCode(enum.Enum):
    """Every code an `ERR` reply can carry; clients decide on the code, never on the detail."""

    SYNTAX = "SYNTAX"
    UNKNOWN_OP = "UNKNOWN_OP"
    BAD_NUMBER = "BAD_NUMBER"
    DOMAIN = "DOMAIN"
    DIV_ZERO = "DIV_ZERO"
    TOO_LARGE = "TOO_LARGE"
    TOO_LONG = "TOO_LONG"
    BAD_UTF8 = "BAD_UTF8"


class CalcError(RemoteProtocolError):
    """A request the calculator refuses: `code` for programs, `detail` (ASCII, one line) for people."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(f"{code.value} {detail}")
        self.code = code
        self.detail = detail
