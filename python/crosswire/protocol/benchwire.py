"""The bench protocol's line format (docs/bench-protocol.md), without any I/O.

Messages travel from the harness to a client as one hexadecimal line each, so
that NUL, newlines and non-UTF-8 bytes survive stdin; peers answer with one
JSON object per line. Both directions are plain functions over text here, so
the peers and the harness share one definition.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

Event = dict[str, Any]


class BenchLineError(ValueError):
    """A bench line is not what docs/bench-protocol.md says it must be."""


def ready_line(example: str, host: str, port: int) -> str:
    """The one line a server prints once it is bound and able to serve."""
    return f"READY {example} {host}:{port}"


def parse_ready_line(line: str) -> tuple[str, str, int] | None:
    """(example, host, port) if `line` is a readiness line (extra fields may follow), else None."""
    parts = line.strip().split(" ")
    if len(parts) < 3 or parts[0] != "READY":
        return None
    host, sep, port = parts[2].rpartition(":")
    if not sep or not port.isdigit():
        return None
    return parts[1], host.strip("[]"), int(port)


def message_line(message: bytes) -> str:
    """One stdin line for a client in --json mode (without the newline)."""
    return message.hex()


def parse_message_line(line: str, line_number: int) -> bytes:
    """The message a stdin line stands for; an empty line is an empty message."""
    text = line.rstrip("\r\n").strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise BenchLineError(
            f"stdin line {line_number}: expected hexadecimal bytes, got {text[:40]!r}"
        ) from None


def read_message_lines(lines: Iterable[str]) -> Iterator[bytes]:
    """The messages of a client's stdin in --json mode, one per line."""
    for number, line in enumerate(lines, start=1):
        yield parse_message_line(line, number)


def event_line(event: str, **fields: Any) -> str:
    """One JSON event line (ASCII only, so any terminal or pipe carries it)."""
    return json.dumps({"event": event, **fields}, ensure_ascii=True, separators=(",", ":"))


def parse_event_line(line: str) -> Event:
    """The event a peer printed; raises BenchLineError for anything else."""
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise BenchLineError(f"not a JSON event line: {line[:80]!r} ({error})") from None
    if not isinstance(value, dict) or not isinstance(value.get("event"), str):
        raise BenchLineError(f"a JSON event needs an 'event' name: {line[:80]!r}")
    return value


def address_text(address: tuple[Any, ...]) -> str:
    """`host:port` as events write a peer's address."""
    return f"{address[0]}:{address[1]}"


def utf16_units(text: str) -> bytes:
    """A string as its UTF-16 code units, big-endian: how string protocols put text on the bench.

    Lone surrogates pass through as themselves, so every Java string has exactly one form.
    """
    return text.encode("utf-16-be", "surrogatepass")


def text_of_utf16_units(data: bytes) -> str:
    """The inverse of `utf16_units`: pairs join into one code point, lone surrogates stay."""
    if len(data) % 2:
        raise BenchLineError(f"UTF-16 code units come in pairs of bytes, got {len(data)} bytes")
    return data.decode("utf-16-be", "surrogatepass")
