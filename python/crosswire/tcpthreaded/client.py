"""Multithreaded server's client: sends lines, prints each whole reply line.

Fixed from the lecture: `while True` around `input()` never ended (now: end
of input or `bye`), so its `close()` was unreachable; one `recv(1024)` was
taken as the reply (now: read until the reply's newline); a failed connect
was printed and then used anyway.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterable, Iterator

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.lines import END_OF_STREAM, MAX_LINE, NEED_DATA, BadMessage, LineDecoder, encode_line
from crosswire.protocol.threaded import PREFIX

DEFAULT_PORT = 2004
RECV_SIZE = 65_536
QUIT = "bye"


class ReplyTimeout(Exception):
    """The whole reply line did not arrive in time."""


class ThreadedClient:
    def __init__(self, host: str, port: int, timeout: float, require_utf8: bool = True) -> None:
        self.server = (host, port)
        self.require_utf8 = require_utf8
        self.timeout = timeout
        self._conn: socket.socket | None = None
        self._decoder = self._new_decoder()

    @staticmethod
    def _new_decoder() -> LineDecoder:
        # A reply is the prefix and a whole line: the longest is longer than the longest request.
        return LineDecoder(MAX_LINE + len(PREFIX))

    def exchange(self, message: bytes) -> bytes:
        request = encode_line(message, self.require_utf8)  # BadMessage before anything is sent
        if self._conn is None:
            self._conn = socket.create_connection(self.server, timeout=self.timeout)
            self._decoder = self._new_decoder()
        self._conn.sendall(request)
        deadline = time.monotonic() + self.timeout
        while True:
            line = self._decoder.next_line()
            if isinstance(line, bytes):
                return line
            if line is END_OF_STREAM:
                raise ConnectionError("the server closed the connection before replying")
            assert line is NEED_DATA
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReplyTimeout
            self._conn.settimeout(remaining)
            try:
                self._decoder.receive_data(self._conn.recv(RECV_SIZE))
            except TimeoutError:
                raise ReplyTimeout from None

    def drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def exchange_all(client: ThreadedClient, messages: Iterable[bytes], output: Output) -> int:
    try:
        return _exchange_each(client, messages, output)
    finally:  # also when a bad stdin line ends the run: in-process, nothing may be left open
        client.drop()


def _exchange_each(client: ThreadedClient, messages: Iterable[bytes], output: Output) -> int:
    status = 0
    for seq, message in enumerate(messages):
        started = time.monotonic()
        try:
            reply = client.exchange(message)
        except BadMessage as error:
            output.event("error", seq=seq, detail=str(error))
            output.say(f"Not sent: {error}")
        except ReplyTimeout:
            output.event("timeout", seq=seq, attempts=1)
            output.say(f"No reply within {client.timeout:g} s")
            client.drop()
        except (OSError, ProtocolError) as error:
            output.event("error", seq=seq, detail=f"{type(error).__name__}: {error}")
            output.say(f"Error: {error}")
            client.drop()
        else:
            rtt_ms = (time.monotonic() - started) * 1000.0
            output.event("reply", seq=seq, len=len(reply), hex=reply.hex(), rtt_ms=round(rtt_ms, 3), attempts=1)
            output.say(reply.decode("utf-8", "replace"))
            continue
        status = 1
    return status


def typed_line(console: Console, prompt: str) -> str | None:
    """What `input(prompt)` would return, read on the console; None at the end of input."""
    console.stdout.write(prompt)
    console.stdout.flush()
    line = console.stdin.readline()
    if not line:
        return None
    return line.removesuffix("\n")


def keyboard_lines(console: Console) -> Iterator[bytes]:
    """Lines typed at the prompt, until end of input or `bye`."""
    while (text := typed_line(console, "Message to send: ")) is not None and text.strip() != QUIT:
        yield text.encode("utf-8")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds for each whole reply")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    client = ThreadedClient(args.host, args.port, args.timeout)
    messages = benchwire.read_message_lines(console.stdin) if args.json else keyboard_lines(console)
    try:
        return exchange_all(client, messages, output)
    except benchwire.BenchLineError as error:
        console.error(f"tcp-threaded client: {error}")
        return 2


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
