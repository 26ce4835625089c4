"""UDP echo server: every datagram goes back, byte for byte, to its sender.

Fixed from the lecture: it received into a 1,024-byte buffer, so longer
datagrams were silently truncated; it printed the bytes without their length;
it could only be stopped by killing it. Run by hand it still listens on
127.0.0.1:6789 and prints what it echoes.
"""

from __future__ import annotations

import sys

from crosswire.peerutil import ArgumentParser, Console, Output, main_of, run_server
from crosswire.udpserver import UdpServer

EXAMPLE = "udp-echo"
DEFAULT_PORT = 6789


class UdpEchoServer(UdpServer):
    waiting_line = "Waiting to receive..."

    def answer(self, data: bytes, sender: tuple[str, int]) -> bytes:
        self.output.say(f"recvfrom {sender} {len(data)} bytes and echo {data!r}")
        return data


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    return run_server(
        EXAMPLE, output, lambda: UdpEchoServer(args.host, args.port, output, console.stderr), args.host, args.port,
        console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
