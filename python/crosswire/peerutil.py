"""What every Python peer program shares: its console, its event output, its stop.

Every program has `run(argv, console) -> int` beside `main()`. `main` runs it
on `Console.system()` (the process's streams; SIGTERM and SIGINT stop a
server); the harness's in-process driver runs the same function on a console
of its own, in a thread, and stops it by setting `console.stop`.
"""

from __future__ import annotations

import argparse
import io
import select
import signal
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any, Protocol, TextIO

from crosswire.protocol import benchwire

# How often a serving loop wakes to see whether it was told to stop, should the wake-up be missed.
POLL_INTERVAL = 0.2


class Stop(threading.Event):
    """A request to stop that also wakes a loop waiting on a socket (`wait_readable`).

    `set()` may come from a signal handler or from another thread; either way a
    loop blocked in `wait_readable` returns at once rather than at its next poll.
    """

    def __init__(self) -> None:
        super().__init__()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._wake_write.setblocking(False)

    def set(self) -> None:
        super().set()
        try:
            self._wake_write.send(b"\0")
        except OSError:  # already closed, or the wake-up byte is already there
            pass

    def wait_readable(self, sock: socket.socket, timeout: float = POLL_INTERVAL) -> bool:
        """Wait until `sock` has data; False on a stop request or after `timeout`."""
        return bool(self.wait_readable_any([sock], timeout))

    def wait_readable_any(self, socks: list[socket.socket], timeout: float = POLL_INTERVAL) -> list[socket.socket]:
        """Those of `socks` that have data, once one has; none on a stop request or after `timeout`."""
        if self.is_set():
            return []
        readable, _, _ = select.select([*socks, self._wake_read], [], [], timeout)
        return [] if self.is_set() else [s for s in socks if s in readable]

    def close(self) -> None:
        self._wake_read.close()
        self._wake_write.close()


@dataclass
class Console:
    """Where a program reads and prints, and how it is told to stop."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stop: Stop
    signals: bool = False  # True only for the process's own console: SIGTERM/SIGINT set `stop`

    @classmethod
    def system(cls) -> Console:
        return cls(sys.stdin, sys.stdout, sys.stderr, Stop(), signals=True)

    @classmethod
    def of_text(cls, stdin: str = "") -> Console:
        """A console of in-memory streams (tests, and the in-process driver's simplest use)."""
        return cls(io.StringIO(stdin), io.StringIO(), io.StringIO(), Stop())

    def error(self, text: str) -> None:
        print(text, file=self.stderr, flush=True)


class ArgumentParser(argparse.ArgumentParser):
    """argparse, printing usage and errors on a program's console rather than the process's."""

    def __init__(self, console: Console, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.console = console

    def _print_message(self, message: str, file: Any = None) -> None:
        if message:
            stream = self.console.stdout if file is sys.stdout else self.console.stderr
            stream.write(message)
            stream.flush()


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


def serve_until_stopped(console: Console) -> Stop:
    """The console's stop, wired to the process's signals if the console is the process's own."""
    if console.signals:
        stop_on_signals(console.stop)
    return console.stop


class Server(Protocol):
    server_address: tuple[str, int]

    def serve(self, stop: Stop) -> None: ...

    def close(self) -> None: ...


def run_server(
    example: str, output: Output, make_server: Callable[[], Server], host: str, port: int,
    console: Console, ready_extra: str = "",
) -> int:
    """Bind (or say clearly why not), print the readiness line, serve until the console's stop.

    `ready_extra` is appended to the readiness line (a multicast receiver names its interface).
    """
    stop = serve_until_stopped(console)
    try:
        server = make_server()
    except (OSError, ValueError) as error:  # ValueError: e.g. not a multicast group
        reason = getattr(error, "strerror", None) or error
        console.error(f"{example}: cannot listen on {host}:{port}: {reason}")
        return 1
    try:
        bound_host, bound_port = server.server_address[:2]
        ready = benchwire.ready_line(example, bound_host, bound_port)
        output.line(f"{ready} {ready_extra}" if ready_extra else ready)
        server.serve(stop)
    finally:
        server.close()
    return 0


class Main(Protocol):
    def __call__(self, argv: list[str] | None = None) -> int: ...


def main_of(run: Callable[[list[str], Console], int]) -> Main:
    """A program's `main`: its `run` on the process's console and arguments."""

    def main(argv: list[str] | None = None) -> int:
        console = Console.system()
        try:
            return run(sys.argv[1:] if argv is None else argv, console)
        finally:
            console.stop.close()

    return main


__all__ = [
    "POLL_INTERVAL", "ArgumentParser", "Console", "Main", "Output", "Stop", "main_of", "run_server",
    "serve_until_stopped",
]
