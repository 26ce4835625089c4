"""writeUTF echo server: reads Java-framed strings and writes each one back.

The Python twin of TCPServer.java: a thread per connection (capped), frames
decoded incrementally by crosswire.protocol.writeutf, so strings arrive whole
however TCP splits or merges them. A bad frame, an idle or vanished client
ends that connection only; the server goes on serving.
"""

from __future__ import annotations

import socket
import sys

from crosswire.peerutil import ArgumentParser, Console, Output, main_of, run_server
from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.writeutf import END_OF_STREAM, NEED_DATA, FrameDecoder, frame
from crosswire.tcpserver import TcpServer

EXAMPLE = "tcp-utf"
DEFAULT_PORT = 7896
DEFAULT_IDLE_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 1000
RECV_SIZE = 65_536


class TcpUtfServer(TcpServer):
    """Echoes every writeUTF frame on each connection until the client closes it."""

    def handle(self, conn: socket.socket, peer: str) -> None:
        self.output.say(f"Connection from {peer}")
        decoder = FrameDecoder()
        try:
            while True:
                message = decoder.next_message()
                if message is END_OF_STREAM:
                    return
                if message is NEED_DATA:
                    decoder.receive_data(conn.recv(RECV_SIZE))
                    continue
                assert isinstance(message, str)
                units = benchwire.utf16_units(message)
                self.output.event("recv", peer=peer, len=len(units) // 2, hex=units.hex())
                self.output.say(f"Received from {peer}: {message!r}")
                conn.sendall(frame(message))
        except ProtocolError as error:  # MalformedInput, TruncatedFrame: the name says which
            self.report_error(peer, f"{type(error).__name__}: {error}")
        except TimeoutError:
            buffered = len(decoder.trailing_data[0])
            where = f"inside a frame ({buffered} bytes of it received)" if buffered else "between frames"
            self.report_error(peer, f"no data for {self.idle_timeout:g} s {where}: connection closed")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=DEFAULT_IDLE_TIMEOUT,
                        help="close a connection silent this many seconds")
    parser.add_argument("--max-connections", type=int, default=DEFAULT_MAX_CONNECTIONS)
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    return run_server(
        EXAMPLE, output,
        lambda: TcpUtfServer(args.host, args.port, output, args.idle_timeout, args.max_connections,
                             console.stderr),
        args.host, args.port, console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
