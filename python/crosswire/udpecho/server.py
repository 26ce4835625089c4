"""UDP echo server: every datagram goes back, byte for byte, to its sender.

Fixed from the lecture: it received into a 1,024-byte buffer, so longer
datagrams were silently truncated; it printed the bytes without their length;
it could only be stopped by killing it. Run by hand it still listens on
127.0.0.1:6789 and prints what it echoes.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading

from crosswire.peerutil import POLL_INTERVAL, Output, run_server
from crosswire.protocol import benchwire
from crosswire.protocol.udp_echo import RECEIVE_BUFFER

EXAMPLE = "udp-echo"
DEFAULT_PORT = 6789


class UdpEchoServer:
    """Binds in the constructor, so `server_address` is known before serving."""

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
        """Echo datagrams until `stop` is set."""
        self.output.say("Waiting to receive...")
        while not stop.is_set():
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                continue
            except OSError as error:  # e.g. ICMP port unreachable from an earlier send
                self.output.event("error", detail=f"receive failed: {error}")
                continue
            self.echo(data, sender)
            self.output.say("Waiting to receive...")

    def echo(self, data: bytes, sender: tuple[str, int]) -> None:
        peer = benchwire.address_text(sender)
        self.output.event("recv", peer=peer, len=len(data), hex=data.hex())
        self.output.say(f"recvfrom {sender} {len(data)} bytes and echo {data!r}")
        try:
            self.socket.sendto(data, sender)
        except OSError as error:
            self.output.event("error", peer=peer, detail=f"echo failed: {error}")
            print(f"echo to {peer} failed: {error}", file=sys.stderr)

    def close(self) -> None:
        self.socket.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)

    output = Output(args.json)
    return run_server(EXAMPLE, output, lambda: UdpEchoServer(args.host, args.port, output), args.host, args.port)

if __name__ == "__main__":
    sys.exit(main())
