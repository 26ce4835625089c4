"""The udp-echo reference server and client.

They share no code with the Python peers in crosswire.udpecho (only the
protocol constants), so a bug there cannot hide itself here.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

from crosswire.peerutil import Stop
from crosswire.protocol import benchwire
from crosswire.protocol.udp_echo import MAX_IPV4_UDP_PAYLOAD, RECEIVE_BUFFER
from harness.runs import Address, ClientRun, Event, ServerRun
from harness.timeouts import REPLY_TIMEOUT, STOP_GRACE

POLL_INTERVAL = 0.1


class ReferenceServer:
    """Echoes every datagram and records exactly what it received, in order."""

    command = None

    def __init__(self, host: str, log_dir: Path) -> None:
        self.log_path = log_dir / "server.out"
        self.events: list[Event] = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((host, 0))
        self.socket.settimeout(POLL_INTERVAL)
        self.address: Address = self.socket.getsockname()
        self._stop = Stop()  # set() also wakes the loop's wait at once
        self._thread = threading.Thread(target=self._serve, name="reference-udp-echo", daemon=True)
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
            peer = benchwire.address_text(sender)
            self.events.append({"event": "recv", "peer": peer, "len": len(data), "hex": data.hex()})
            self.socket.sendto(data, sender)

    def stop(self) -> ServerRun:
        self._stop.set()
        self._thread.join(STOP_GRACE)
        self.socket.close()
        self._stop.close()
        alive = self._thread.is_alive()
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in self.events))
        return ServerRun(list(self.events), None if alive else 0, None,
                         ["reference server thread did not stop"] if alive else [])


class ReferenceClient:
    """Sends each message once and requires its exact echo from the server's address."""

    def __init__(self, log_dir: Path) -> None:
        self.log_path = log_dir / "client.out"

    def run(self, server: Address, messages: list[bytes]) -> ClientRun:
        events: list[Event] = []
        started = time.monotonic()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for seq, message in enumerate(messages):
                events.extend(self._exchange(sock, server, seq, message))
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in events))
        failed = any(e["event"] in ("timeout", "error") for e in events)
        return ClientRun(events, 1 if failed else 0, time.monotonic() - started)

    @staticmethod
    def _exchange(sock: socket.socket, server: Address, seq: int, message: bytes) -> list[Event]:
        if len(message) > MAX_IPV4_UDP_PAYLOAD:
            return [{"event": "error", "seq": seq, "detail": "larger than one IPv4 UDP datagram"}]
        events: list[Event] = []
        sent_at = time.monotonic()
        sock.sendto(message, server)
        deadline = sent_at + REPLY_TIMEOUT
        while (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining)
            try:
                data, source = sock.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                break
            if data == message and source == server:
                rtt_ms = (time.monotonic() - sent_at) * 1000
                events.append({"event": "reply", "seq": seq, "len": len(data), "hex": data.hex(),
                               "rtt_ms": rtt_ms, "attempts": 1})
                return events
            # A wrong datagram is not ignored quietly: the reference reports it.
            events.append({"event": "stale", "seq": seq, "len": len(data),
                           "peer": benchwire.address_text(source)})
        events.append({"event": "timeout", "seq": seq, "attempts": 1})
        return events
