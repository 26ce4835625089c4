"""The multithreaded server's reply, as the lecture wrote it: a prefix and the message."""

from __future__ import annotations

from typing import Final

PREFIX: Final = b"Server message: "


def reply_to(line: bytes) -> bytes:
    """The reply line (without its newline) to one request line."""
    return PREFIX + line
