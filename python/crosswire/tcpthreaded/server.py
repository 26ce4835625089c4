"""Multithreaded TCP server: answers every line with `Server message: <line>`.

Fixed from the lecture: it answered each `recv(2048)` chunk, so one message
split by TCP got two replies and two messages merged got one (now: one reply
per line, however the bytes arrive); it started a thread per connection
without limit (now capped: over the cap a client is told `Server busy`); its
thread counter was never decremented; its final `close()` was unreachable;
`str.encode`/`decode` failed the whole thread on bad UTF-8 (now reported).
"""

from __future__ import annotations

import socket
import sys

from crosswire.peerutil import ArgumentParser, Console, Output, main_of, run_server
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.lines import END_OF_STREAM, NEED_DATA, LineDecoder, check_utf8
from crosswire.protocol.threaded import reply_to
from crosswire.tcpserver import TcpServer

EXAMPLE = "tcp-threaded"
DEFAULT_PORT = 2004
DEFAULT_MAX_CONNECTIONS = 100
RECV_SIZE = 65_536
BUSY = b"Server busy\n"


class ThreadedServer(TcpServer):
    def refuse(self, conn: socket.socket, peer: str) -> None:
        conn.sendall(BUSY)

    def handle(self, conn: socket.socket, peer: str) -> None:
        self.output.say(f"Connected to: {peer} (connections: {self.connection_count})")
        decoder = LineDecoder()
        try:
            while True:
                line = decoder.next_line()
                if line is END_OF_STREAM:
                    return
                if line is NEED_DATA:
                    decoder.receive_data(conn.recv(RECV_SIZE))
                    continue
                assert isinstance(line, bytes)
                check_utf8(line)
                self.output.event("recv", peer=peer, len=len(line), hex=line.hex())
                conn.sendall(reply_to(line) + b"\n")
        except ProtocolError as error:
            self.report_error(peer, f"{type(error).__name__}: {error}")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=30.0, help="close a connection silent this long")
    parser.add_argument("--max-connections", type=int, default=DEFAULT_MAX_CONNECTIONS)
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    output.say("Socket is listening..")
    return run_server(
        EXAMPLE, output,
        lambda: ThreadedServer(args.host, args.port, output, args.idle_timeout, args.max_connections,
                               console.stderr),
        args.host, args.port, console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
