"""The calculator reference peers: replies computed by crosswire.protocol.calc, checked byte for byte.

The reference server answers every line (TCP) or datagram (UDP) with exactly
what the protocol module says; the reference client sends each request once
and records the exact reply. The Java implementation is proven identical to
this module by tests/test_calc_java_agrees.py, so a cell that fails against
the reference names the peer at fault, not the arithmetic.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

from crosswire.peerutil import Stop
from crosswire.protocol import benchwire
from crosswire.protocol.calc import handle_datagram, handle_line_bytes
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.lines import END_OF_STREAM, NEED_DATA, LineDecoder
from harness.reference.tcp_base import ReferenceTcpServer
from harness.runs import Address, ClientRun, Event, ServerRun
from harness.timeouts import REPLY_TIMEOUT, STOP_GRACE

POLL_INTERVAL = 0.1
RECEIVE_BUFFER = 65_535


class ReferenceTcpCalcServer(ReferenceTcpServer):
    def serve_connection(self, conn: socket.socket, peer: str) -> None:
        decoder = LineDecoder()
        while True:
            try:
                line = decoder.next_line()
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
            conn.sendall(handle_line_bytes(line) + b"\n")


class ReferenceTcpCalcClient:
    """One connection; each request a line; each reply read whole, in order."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        started = time.monotonic()
        events: list[Event] = []
        decoder = LineDecoder(2 * 65_536)
        with socket.create_connection(server, timeout=REPLY_TIMEOUT) as conn:
            for seq, request in enumerate(messages):
                if b"\n" in request:
                    events.append({"event": "error", "seq": seq, "detail": "a request line cannot hold a newline"})
                    continue
                sent_at = time.monotonic()
                conn.sendall(request + b"\n")
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
        return ClientRun(events, 1 if any(e["event"] != "reply" for e in events) else 0,
                         time.monotonic() - started)


class ReferenceUdpCalcServer:
    command = None

    def __init__(self, host: str, log_dir: Path) -> None:
        self.log_path = log_dir / "server.out"
        self.events: list[Event] = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((host, 0))
        self.socket.settimeout(POLL_INTERVAL)
        self.address: Address = self.socket.getsockname()
        self._stop = Stop()  # set() also wakes the loop's wait at once
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            if not self._stop.wait_readable(self.socket):
                continue
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                continue
            except OSError as error:
                self.events.append({"event": "error", "detail": str(error)})
                continue
            self.events.append({"event": "recv", "peer": benchwire.address_text(sender), "len": len(data),
                                "hex": data.hex()})
            self.socket.sendto(handle_datagram(data), sender)

    def stop(self) -> ServerRun:
        self._stop.set()
        self._thread.join(STOP_GRACE)
        self.socket.close()
        self._stop.close()
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in self.events))
        alive = self._thread.is_alive()
        return ServerRun(list(self.events), None if alive else 0, None,
                         ["reference server thread did not stop"] if alive else [])


class ReferenceUdpCalcClient:
    """Each request once, under an ID of its own; the reply must carry that ID."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        started = time.monotonic()
        events: list[Event] = []
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(REPLY_TIMEOUT)
            for seq, request in enumerate(messages):
                prefix = f"ref-{seq} ".encode()
                sent_at = time.monotonic()
                sock.sendto(prefix + request, server)
                try:
                    data, source = sock.recvfrom(RECEIVE_BUFFER)
                except TimeoutError:
                    events.append({"event": "timeout", "seq": seq, "attempts": 1})
                    continue
                if source != server or not data.startswith(prefix):
                    events.append({"event": "error", "seq": seq, "detail": f"reply without our ID: {data[:40]!r}"})
                    continue
                reply = data[len(prefix):]
                events.append({"event": "reply", "seq": seq, "len": len(reply), "hex": reply.hex(),
                               "rtt_ms": (time.monotonic() - sent_at) * 1000, "attempts": 1})
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in events))
        return ClientRun(events, 1 if any(e["event"] != "reply" for e in events) else 0,
                         time.monotonic() - started)
