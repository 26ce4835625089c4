"""What every Python peer program shares: its event output and its stop signal."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, Protocol, TextIO

from crosswire.protocol import benchwire

# How often a serving loop wakes to see whether it was told to stop.
POLL_INTERVAL = 0.2


class Output:
    """Prints either the lecture's text (by hand) or bench events (--json)."""

    def __init__(self, json_mode: bool, stream: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self._stream = stream if stream is not None else sys.stdout
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()

    def say(self, text: str) -> None:
        """A line for a person; silent on the bench."""
        if not self.json_mode:
            self.line(text)

    def event(self, name: str, **fields: Any) -> None:
        """A bench event; silent by hand."""
        if self.json_mode:
            self.line(benchwire.event_line(name, **fields))


def stop_on_signals(stop: threading.Event) -> None:
    """Turn SIGTERM and SIGINT into a request to stop serving."""

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


class Server(Protocol):
    server_address: tuple[str, int]

    def serve(self, stop: threading.Event) -> None: ...

    def close(self) -> None: ...


def run_server(
    example: str, output: Output, make_server: Callable[[], Server], host: str, port: int, ready_extra: str = ""
) -> int:
    """Bind (or say clearly why not), print the readiness line, serve until SIGTERM/SIGINT.

    `ready_extra` is appended to the readiness line (a multicast receiver names its interface).
    """
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        server = make_server()
    except (OSError, ValueError) as error:  # ValueError: e.g. not a multicast group
        reason = getattr(error, "strerror", None) or error
        print(f"{example}: cannot listen on {host}:{port}: {reason}", file=sys.stderr)
        return 1
    try:
        bound_host, bound_port = server.server_address[:2]
        ready = benchwire.ready_line(example, bound_host, bound_port)
        output.line(f"{ready} {ready_extra}" if ready_extra else ready)
        server.serve(stop)
    finally:
        server.close()
    return 0
