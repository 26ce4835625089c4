"""Calculator over UDP: one `ID OP A B` datagram in, one `ID OK r` / `ID ERR ...` out.

The ID lets a client that resent a request match whichever reply comes back.
"""

from __future__ import annotations

import sys

from crosswire.peerutil import ArgumentParser, Console, Output, main_of, run_server
from crosswire.protocol.calc import handle_datagram
from crosswire.udpserver import UdpServer

EXAMPLE = "calc-udp"
DEFAULT_PORT = 7001


class CalcUdpServer(UdpServer):
    def answer(self, data: bytes, sender: tuple[str, int]) -> bytes:
        reply = handle_datagram(data)
        self.output.say(f"{sender}: {data.decode('utf-8', 'replace')} -> {reply.decode('utf-8', 'replace')}")
        return reply


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    output = Output(args.json, console.stdout)
    return run_server(
        EXAMPLE, output, lambda: CalcUdpServer(args.host, args.port, output, console.stderr), args.host, args.port,
        console,
    )


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
