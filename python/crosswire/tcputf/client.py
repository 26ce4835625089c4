"""writeUTF echo client: sends each string as Java's writeUTF does, reads the echo.

The Python twin of TCPClient.java (`client MESSAGE HOSTNAME`, port 7896). As
in the lecture each message gets its own connection, unless --persistent
sends them all over one. Replies are read until a whole frame has arrived,
never assumed to come in one recv.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.writeutf import END_OF_STREAM, NEED_DATA, EncodedTooLong, FrameDecoder, frame

DEFAULT_PORT = 7896
RECV_SIZE = 65_536


class ReplyTimeout(Exception):
    """No whole reply within the timeout."""


class TcpUtfClient:
    def __init__(self, host: str, port: int, timeout: float, persistent: bool, output: Output) -> None:
        self.server = (host, port)
        self.timeout = timeout
        self.persistent = persistent
        self.output = output
        self._conn: socket.socket | None = None
        self._decoder = FrameDecoder()

    def _connection(self) -> socket.socket:
        if self._conn is None:
            self._conn = socket.create_connection(self.server, timeout=self.timeout)
            self._decoder = FrameDecoder()
        return self._conn

    def drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def exchange(self, text: str) -> tuple[str, float]:
        """The echo of `text` and the round-trip time in ms; EncodedTooLong before any I/O."""
        request = frame(text)  # refuses an over-long string before anything is sent
        conn = self._connection()
        started = time.monotonic()
        conn.sendall(request)
        deadline = started + self.timeout
        while True:
            reply = self._decoder.next_message()
            if isinstance(reply, str):
                return reply, (time.monotonic() - started) * 1000.0
            if reply is END_OF_STREAM:
                raise ConnectionError("the server closed the connection before replying")
            assert reply is NEED_DATA
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ReplyTimeout
            conn.settimeout(remaining)
            try:
                self._decoder.receive_data(conn.recv(RECV_SIZE))
            except TimeoutError:
                raise ReplyTimeout from None


def exchange_all(client: TcpUtfClient, messages: Iterable[str]) -> int:
    output = client.output
    status = 0
    for seq, text in enumerate(messages):
        try:
            reply, rtt_ms = client.exchange(text)
        except EncodedTooLong as error:
            output.event("error", seq=seq, detail=str(error))
            output.say(f"Not sent: {error}")
            status = 1
            continue
        except ReplyTimeout:
            output.event("timeout", seq=seq, attempts=1)
            output.say(f"No reply within {client.timeout:g} s")
            client.drop()
            status = 1
            continue
        except (OSError, ProtocolError) as error:
            output.event("error", seq=seq, detail=f"{type(error).__name__}: {error}")
            output.say(f"Error: {error}")
            client.drop()
            status = 1
            continue
        finally:
            if not client.persistent:
                client.drop()
        units = benchwire.utf16_units(reply)
        output.event("reply", seq=seq, len=len(units) // 2, hex=units.hex(), rtt_ms=round(rtt_ms, 3), attempts=1)
        output.say(f"Received: {reply}")
    client.drop()
    return status


def read_messages(stream: TextIO) -> Iterator[str]:
    for number, units in enumerate(benchwire.read_message_lines(stream), start=1):
        try:
            yield benchwire.text_of_utf16_units(units)
        except benchwire.BenchLineError as error:
            raise benchwire.BenchLineError(f"stdin line {number}: {error}") from None


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("message", nargs="?", default="Hello")
    parser.add_argument("hostname", nargs="?", default=None)
    parser.add_argument("--host", default=None, help="the server (or give it as HOSTNAME)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for each reply")
    parser.add_argument("--persistent", action="store_true", help="one connection for all messages")
    parser.add_argument("--json", action="store_true", help="bench mode: UTF-16 hex lines in, JSON out")
    args = parser.parse_args(argv)
    if args.hostname and args.host:
        parser.error("give the server as HOSTNAME or with --host, not both")
    host = args.hostname or args.host or "localhost"

    output = Output(args.json, console.stdout)
    client = TcpUtfClient(host, args.port, args.timeout, args.persistent, output)
    try:
        return exchange_all(client, read_messages(console.stdin) if args.json else [args.message])
    except benchwire.BenchLineError as error:
        console.error(f"tcp-utf client: {error}")
        return 2
    finally:
        client.drop()  # a bad stdin line leaves a --persistent connection open


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
