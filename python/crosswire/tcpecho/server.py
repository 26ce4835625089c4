"""TCP echo server: writes back every byte it reads, one connection at a time.

As in the lecture the server is iterative. Fixed: its `finally` closed the
connection but the listening socket's `close()` after `while True` was
unreachable; a silent client blocked every other one for ever (now an idle
timeout closes it); it could only be stopped by killing it.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading

from crosswire.peerutil import Output, stop_on_signals
from crosswire.protocol import benchwire
from crosswire.tcpserver import TcpServer

EXAMPLE = "tcp-echo"
DEFAULT_PORT = 65432
RECV_SIZE = 65_536


class TcpEchoServer(TcpServer):
    threaded = False

    def handle(self, conn: socket.socket, peer: str) -> None:
        self.output.say(f"Connected by {peer}")
        while data := conn.recv(RECV_SIZE):
            self.output.event("recv", peer=peer, len=len(data), hex=data.hex())
            conn.sendall(data)
        self.output.say(f"{peer} closed the connection")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=30.0, help="close a connection silent this long")
    args = parser.parse_args(argv)

    output = Output(args.json)
    stop = threading.Event()
    stop_on_signals(stop)
    server = TcpEchoServer(args.host, args.port, output, args.idle_timeout, max_connections=1)
    try:
        host, port = server.server_address
        output.line(benchwire.ready_line(EXAMPLE, host, port))
        output.say("waiting for a connection")
        server.serve(stop)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
