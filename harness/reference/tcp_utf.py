"""The tcp-utf reference server and client: exact writeUTF bytes, nothing less.

Beyond decoding, both check that every frame the other side sent is byte for
byte what Java's writeUTF produces for its string (`frame(text)`): a peer that
sends 4-byte UTF-8, or an overlong form that readUTF happens to accept, is
caught here even if a lenient peer would not notice.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.writeutf import EncodedTooLong, frame, unframe
from harness.reference.tcp_base import ReferenceTcpServer
from harness.runs import Address, ClientRun, Event
from harness.timeouts import REPLY_TIMEOUT

RECV_SIZE = 65_536


def split_frame(buffer: bytes) -> tuple[bytes, bytes] | None:
    """(one whole raw frame, the rest), or None while the frame is incomplete."""
    if len(buffer) < 2:
        return None
    end = 2 + int.from_bytes(buffer[:2], "big")
    return (buffer[:end], buffer[end:]) if len(buffer) >= end else None


def decode_exact(raw: bytes) -> str:
    """The frame's string; ProtocolError unless `raw` is exactly what writeUTF writes for it."""
    text, rest = unframe(raw)
    assert rest == b""
    canonical = frame(text)
    if canonical != raw:
        raise ProtocolError(
            f"frame is not Java's writeUTF encoding of its string: got {raw[:24].hex()}…, "
            f"writeUTF gives {canonical[:24].hex()}…"
        )
    return text


def units_event(name: str, text: str, **fields: object) -> Event:
    units = benchwire.utf16_units(text)
    return {"event": name, **fields, "len": len(units) // 2, "hex": units.hex()}


class ReferenceServer(ReferenceTcpServer):
    def serve_connection(self, conn: socket.socket, peer: str) -> None:
        buffer = b""
        while True:
            split = split_frame(buffer)
            if split is not None:
                raw, buffer = split
                try:
                    text = decode_exact(raw)
                except ProtocolError as error:
                    self.record({"event": "error", "peer": peer, "detail": str(error)})
                    return
                self.record(units_event("recv", text, peer=peer))
                conn.sendall(raw)
                continue
            data = self.receive(conn)
            if not data:
                if buffer and data is not None:
                    self.record({"event": "error", "peer": peer, "detail": f"truncated frame: {buffer[:8].hex()}…"})
                return
            buffer += data


class ReferenceClient:
    """Sends every message on one connection and requires its exact writeUTF echo."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        started = time.monotonic()
        events: list[Event] = []
        conn: socket.socket | None = None
        buffer = b""
        try:
            for seq, units in enumerate(messages):
                text = benchwire.text_of_utf16_units(units)
                try:
                    request = frame(text)
                except EncodedTooLong as error:
                    events.append({"event": "error", "seq": seq, "detail": str(error)})
                    continue
                if conn is None:
                    conn = socket.create_connection(server, timeout=REPLY_TIMEOUT)
                    buffer = b""
                sent_at = time.monotonic()
                conn.sendall(request)
                try:
                    while (split := split_frame(buffer)) is None:
                        data = conn.recv(RECV_SIZE)
                        if not data:
                            raise ConnectionError("server closed the connection before replying")
                        buffer += data
                    raw, buffer = split
                    reply = decode_exact(raw)
                except (OSError, ProtocolError) as error:
                    kind = "timeout" if isinstance(error, TimeoutError) else "error"
                    events.append({"event": kind, "seq": seq, "attempts": 1, "detail": str(error)})
                    conn.close()
                    conn = None
                    continue
                rtt_ms = (time.monotonic() - sent_at) * 1000
                events.append(units_event("reply", reply, seq=seq, rtt_ms=rtt_ms, attempts=1))
        finally:
            if conn is not None:
                conn.close()
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in events))
        failed = any(e["event"] in ("timeout", "error") for e in events)
        return ClientRun(events, 1 if failed else 0, time.monotonic() - started)
