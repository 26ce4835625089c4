"""Calculator over UDP: one `ID OP A B` datagram in, one `ID OK r` / `ID ERR ...` out.

The ID lets a client that resent a request match whichever reply comes back.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading

from crosswire.peerutil import POLL_INTERVAL, Output, run_server
from crosswire.protocol import benchwire
from crosswire.protocol.calc import handle_datagram
from crosswire.protocol.udp_echo import RECEIVE_BUFFER

EXAMPLE = "calc-udp"
DEFAULT_PORT = 7001


class CalcUdpServer:
    def __init__(self, host: str, port: int, output: Output) -> None:
        self.output = output
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.socket.bind((host, port))
        except OSError:
            self.socket.close()
            raise
        self.socket.settimeout(POLL_INTERVAL)
        self.server_address: tuple[str, int] = self.socket.getsockname()

    def serve(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                continue
            except OSError as error:
                self.output.event("error", detail=f"receive failed: {error}")
                continue
            peer = benchwire.address_text(sender)
            self.output.event("recv", peer=peer, len=len(data), hex=data.hex())
            reply = handle_datagram(data)
            self.output.say(f"{peer}: {data.decode('utf-8', 'replace')} -> {reply.decode('utf-8', 'replace')}")
            try:
                self.socket.sendto(reply, sender)
            except OSError as error:
                self.output.event("error", peer=peer, detail=f"reply failed: {error}")

    def close(self) -> None:
        self.socket.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    output = Output(args.json)
    return run_server(EXAMPLE, output, lambda: CalcUdpServer(args.host, args.port, output), args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
