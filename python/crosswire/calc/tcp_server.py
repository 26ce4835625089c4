"""Calculator over TCP: one request line in, one reply line out, many per connection.

A thread per connection (capped); the arithmetic is crosswire.protocol.calc,
which parses the request and never evaluates it as code.
"""

from __future__ import annotations

import socket
import sys

from crosswire.peerutil import ArgumentParser, Console, Output, main_of, run_server
from crosswire.protocol.calc import CalcReply, handle_line_bytes, too_long
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.lines import END_OF_STREAM, NEED_DATA, LineDecoder, LineTooLong
from crosswire.tcpserver import TcpServer

EXAMPLE = "calc-tcp"
DEFAULT_PORT = 7000
RECV_SIZE = 65_536


class CalcTcpServer(TcpServer):
    def handle(self, conn: socket.socket, peer: str) -> None:
        decoder = LineDecoder()
        while True:
            try:
                line = decoder.next_line()
            except LineTooLong as error:
                # Answer, then close: what follows the over-long line cannot be trusted to be a new line.
                conn.sendall(CalcReply.error(too_long()).text().encode() + b"\n")
                self.report_error(peer, f"{error}: connection closed")
                return
            except ProtocolError as error:
                self.report_error(peer, str(error))
                return
            if line is END_OF_STREAM:
                return
            if line is NEED_DATA:
                decoder.receive_data(conn.recv(RECV_SIZE))
                continue
            assert isinstance(line, bytes)
            self.output.event("recv", peer=peer, len=len(line), hex=line.hex())
            reply = handle_line_bytes(line)
            self.output.say(f"{peer}: {line.decode('utf-8', 'replace')} -> {reply.decode()}")
            conn.sendall(reply + b"\n")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=30.0)
    parser.add_argument("--max-connections", type=int, default=200)
    args = parser.parse_args(argv)
    output = Output(args.json, console.stdout)
    return run_server(
        EXAMPLE, output,
        lambda: CalcTcpServer(args.host, args.port, output, args.idle_timeout, args.max_connections,
                              console.stderr),
        args.host, args.port, console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
