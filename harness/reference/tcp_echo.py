"""The tcp-echo reference peers: a strict byte-stream echo, and a client reading whole echoes."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from harness.reference.tcp_base import ReferenceTcpServer
from harness.runs import Address, ClientRun, Event
from harness.timeouts import REPLY_TIMEOUT


class ReferenceServer(ReferenceTcpServer):
    def serve_connection(self, conn: socket.socket, peer: str) -> None:
        while data := self.receive(conn):
            self.record({"event": "recv", "peer": peer, "len": len(data), "hex": data.hex()})
            conn.sendall(data)


def receive_exactly(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise ConnectionError(f"server closed the connection after {len(data)} of {count} bytes")
        data += chunk
    return data


class ReferenceClient:
    """One connection; each message's echo read whole; nothing extra may follow it."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        started = time.monotonic()
        events: list[Event] = []
        with socket.create_connection(server, timeout=REPLY_TIMEOUT) as conn:
            for seq, message in enumerate(messages):
                sent_at = time.monotonic()
                conn.sendall(message)
                try:
                    reply = receive_exactly(conn, len(message))
                except OSError as error:
                    events.append({"event": "error", "seq": seq, "detail": str(error)})
                    break
                events.append({"event": "reply", "seq": seq, "len": len(reply), "hex": reply.hex(),
                               "rtt_ms": (time.monotonic() - sent_at) * 1000, "attempts": 1})
            conn.shutdown(socket.SHUT_WR)
            try:
                extra = conn.recv(1)
            except OSError:
                extra = b""
            if extra:
                events.append({"event": "error", "seq": len(messages), "detail": "bytes after the last echo"})
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in events))
        failed = any(e["event"] != "reply" for e in events)
        return ClientRun(events, 1 if failed else 0, time.monotonic() - started)
