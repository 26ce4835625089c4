"""The tcp-threaded reference peers: one `Server message: ` line per line, nothing else."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.lines import END_OF_STREAM, NEED_DATA, LineDecoder, check_utf8, encode_line
from crosswire.protocol.threaded import reply_to
from harness.reference.tcp_base import ReferenceTcpServer
from harness.runs import Address, ClientRun, Event
from harness.timeouts import REPLY_TIMEOUT


class ReferenceServer(ReferenceTcpServer):
    def serve_connection(self, conn: socket.socket, peer: str) -> None:
        decoder = LineDecoder()
        while True:
            try:
                line = decoder.next_line()
                if isinstance(line, bytes):
                    check_utf8(line)
            except ProtocolError as error:
                self.record({"event": "error", "peer": peer, "detail": str(error)})
                return
            if line is END_OF_STREAM:
                return
            if line is NEED_DATA:
                data = self.receive(conn)
                if data is None:
                    return
                decoder.receive_data(data)
                continue
            assert isinstance(line, bytes)
            self.record({"event": "recv", "peer": peer, "len": len(line), "hex": line.hex()})
            conn.sendall(reply_to(line) + b"\n")


class ReferenceClient:
    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        started = time.monotonic()
        events: list[Event] = []
        decoder = LineDecoder()
        with socket.create_connection(server, timeout=REPLY_TIMEOUT) as conn:
            for seq, message in enumerate(messages):
                try:
                    request = encode_line(message)
                except ProtocolError as error:
                    events.append({"event": "error", "seq": seq, "detail": str(error)})
                    continue
                sent_at = time.monotonic()
                conn.sendall(request)
                try:
                    while (line := decoder.next_line()) is NEED_DATA:
                        decoder.receive_data(conn.recv(65_536))
                except (OSError, ProtocolError) as error:
                    events.append({"event": "error", "seq": seq, "detail": str(error)})
                    break
                if not isinstance(line, bytes):
                    events.append({"event": "error", "seq": seq, "detail": "server closed before replying"})
                    break
                events.append({"event": "reply", "seq": seq, "len": len(line), "hex": line.hex(),
                               "rtt_ms": (time.monotonic() - sent_at) * 1000, "attempts": 1})
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in events))
        failed = any(e["event"] != "reply" for e in events)
        return ClientRun(events, 1 if failed else 0, time.monotonic() - started)
