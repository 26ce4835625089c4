"""What every Python peer program shares: its event output and its stop signal."""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType
from typing import Any, TextIO

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
