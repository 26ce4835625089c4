"""The tcp-utf reference server and client: exact writeUTF bytes, nothing less.

Beyond decoding, both check that every frame the other side sent is byte for
byte what Java's writeUTF produces for its string (`frame(text)`): a peer that
sends 4-byte UTF-8, or an overlong form that readUTF happens to accept, is
caught here even if a lenient peer would not notice.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.writeutf import EncodedTooLong, frame, unframe
from harness.drivers import Address, ClientRun, Event, ServerRun
from harness.timeouts import REPLY_TIMEOUT, STOP_GRACE

POLL_INTERVAL = 0.1
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


class ReferenceServer:
    command = None

    def __init__(self, host: str, log_dir: Path) -> None:
        self.log_path = log_dir / "server.out"
        self.events: list[Event] = []
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(POLL_INTERVAL)
        self.address: Address = self.listener.getsockname()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._start(self._accept_loop)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _record(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._start(self._serve, conn, benchwire.address_text(address))

    def _serve(self, conn: socket.socket, peer: str) -> None:
        buffer = b""
        with conn:
            conn.settimeout(POLL_INTERVAL)
            while not self._stop.is_set():
                split = split_frame(buffer)
                if split is not None:
                    raw, buffer = split
                    try:
                        text = decode_exact(raw)
                    except ProtocolError as error:
                        self._record({"event": "error", "peer": peer, "detail": str(error)})
                        return
                    self._record(units_event("recv", text, peer=peer))
                    conn.sendall(raw)
                    continue
                try:
                    data = conn.recv(RECV_SIZE)
                except TimeoutError:
                    continue
                except OSError as error:
                    self._record({"event": "error", "peer": peer, "detail": str(error)})
                    return
                if not data:
                    if buffer:
                        detail = f"truncated frame: {buffer[:8].hex()}…"
                        self._record({"event": "error", "peer": peer, "detail": detail})
                    return
                buffer += data

    def stop(self) -> ServerRun:
        self._stop.set()
        self.listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(STOP_GRACE)
        alive = any(thread.is_alive() for thread in threads)
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in self.events))
        return ServerRun(list(self.events), None if alive else 0, None,
                         ["reference server threads did not stop"] if alive else [])


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
