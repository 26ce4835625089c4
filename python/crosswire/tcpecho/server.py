"""TCP echo server: writes back every byte it reads, one connection at a time.

As in the lecture the server is iterative. Fixed: its `finally` closed the
connection but the listening socket's `close()` after `while True` was
unreachable; a silent client blocked every other one for ever (now an idle
timeout closes it); it could only be stopped by killing it.
"""

from __future__ import annotations

import socket
import sys

from crosswire.peerutil import ArgumentParser, Console, Output, Stop, main_of, run_server
from crosswire.tcpserver import TcpServer

EXAMPLE = "tcp-echo"
DEFAULT_PORT = 65432
RECV_SIZE = 65_536


class TcpEchoServer(TcpServer):
    threaded = False
    _stop: Stop  # set by serve(), the only caller of handle()

    def serve(self, stop: Stop) -> None:
        # Iterative: a connection is served inside the accept loop, so its reads must wake on a stop too.
        self._stop = stop
        super().serve(stop)

    def handle(self, conn: socket.socket, peer: str) -> None:
        self.output.say(f"Connected by {peer}")
        while True:
            if not self._stop.wait_readable(conn, self.idle_timeout):
                if self._stop.is_set():
                    return  # stopped: TcpServer closes the connection; nothing more is said
                raise TimeoutError  # idle: reported by TcpServer as before
            data = conn.recv(RECV_SIZE)
            if not data:
                break
            self.output.event("recv", peer=peer, len=len(data), hex=data.hex())
            conn.sendall(data)
        self.output.say(f"{peer} closed the connection")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=30.0, help="close a connection silent this long")
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    output.say("waiting for a connection")
    return run_server(
        EXAMPLE, output,
        lambda: TcpEchoServer(args.host, args.port, output, args.idle_timeout, max_connections=1,
                              errors=console.stderr),
        args.host, args.port, console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
