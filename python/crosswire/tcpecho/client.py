"""TCP echo client: sends each message and reads until the whole echo is back.

Fixed from the lecture: it assumed one `recv(1024)` returns exactly the reply
to the message just sent, which holds on loopback by luck (and the `sleep(1)`
made it hold more often). TCP is a stream: the echo may come in pieces, or
together with the next one. This client reads until it has as many bytes as
it sent, within a deadline. `naive_client.py` keeps the lecture's way.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Callable, Iterable

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire

DEFAULT_PORT = 65432
LECTURE_MESSAGES = ["Mon", "Tue", "Wed", "Thu", "Fri"]
RECV_SIZE = 65_536


class ReplyTimeout(Exception):
    """The whole reply did not arrive in time."""


def receive_exactly(conn: socket.socket, count: int, deadline: float) -> bytes:
    """Exactly `count` bytes from `conn`, however they are segmented, before `deadline`."""
    data = bytearray()
    while len(data) < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ReplyTimeout
        conn.settimeout(remaining)
        try:
            chunk = conn.recv(min(RECV_SIZE, count - len(data)))
        except TimeoutError:
            raise ReplyTimeout from None
        if not chunk:
            raise ConnectionError(f"the server closed the connection after {len(data)} of {count} bytes")
        data += chunk
    return bytes(data)


Exchange = Callable[[socket.socket, bytes, float], bytes]


def exchange_whole(conn: socket.socket, message: bytes, timeout: float) -> bytes:
    conn.sendall(message)
    return receive_exactly(conn, len(message), time.monotonic() + timeout)


def exchange_all(host: str, port: int, timeout: float, messages: Iterable[bytes], output: Output,
                 exchange: Exchange = exchange_whole) -> int:
    """Exchange every message over one connection (a new one after a failure)."""
    status = 0
    conn: socket.socket | None = None
    try:
        for seq, message in enumerate(messages):
            try:
                if conn is None:
                    conn = socket.create_connection((host, port), timeout=timeout)
                output.say(f"Sent: {message.decode('utf-8', 'replace')}")
                started = time.monotonic()
                reply = exchange(conn, message, timeout)
            except ReplyTimeout:
                output.event("timeout", seq=seq, attempts=1)
                output.say(f"No whole reply within {timeout:g} s")
            except OSError as error:
                output.event("error", seq=seq, detail=f"{type(error).__name__}: {error}")
                output.say(f"Error: {error}")
            else:
                rtt_ms = (time.monotonic() - started) * 1000.0
                output.event("reply", seq=seq, len=len(reply), hex=reply.hex(), rtt_ms=round(rtt_ms, 3), attempts=1)
                output.say(f"Received: {reply.decode('utf-8', 'replace')}")
                continue
            status = 1
            if conn is not None:
                conn.close()
                conn = None
    finally:  # also when a bad stdin line ends the run: in-process, nothing may be left open
        if conn is not None:
            conn.close()
    return status


def run_with(argv: list[str], console: Console, exchange: Exchange) -> int:
    """The client, reading each reply with `exchange` (naive_client passes the lecture's one recv)."""
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("messages", nargs="*", help="messages to send (default: Mon..Fri)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds for each whole reply")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    if args.json:
        messages: Iterable[bytes] = benchwire.read_message_lines(console.stdin)
    else:
        messages = [m.encode("utf-8") for m in (args.messages or LECTURE_MESSAGES)]
    try:
        return exchange_all(args.host, args.port, args.timeout, messages, output, exchange)
    except benchwire.BenchLineError as error:
        console.error(f"tcp-echo client: {error}")
        return 2


def run(argv: list[str], console: Console) -> int:
    return run_with(argv, console, exchange_whole)


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
