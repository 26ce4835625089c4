"""The shell every Python UDP server shares: bind, receive, answer, until told to stop.

The UDP twin of crosswire.tcpserver: a service subclasses it and overrides
`answer()`, which turns one datagram into its reply. The constructor binds,
so `server_address` is known before serving; the loop wakes every
POLL_INTERVAL to see whether it was told to stop; an error on one datagram is
reported and the server goes on.
"""

from __future__ import annotations

import socket
import sys
import threading

from crosswire.peerutil import POLL_INTERVAL, Output
from crosswire.protocol import benchwire

RECEIVE_BUFFER = 65_535  # larger than any IPv4 datagram, so nothing is truncated


class UdpServer:
    waiting_line = ""  # printed by hand before each datagram, if any

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

    def answer(self, data: bytes, sender: tuple[str, int]) -> bytes:
        raise NotImplementedError

    def serve(self, stop: threading.Event) -> None:
        if self.waiting_line:
            self.output.say(self.waiting_line)
        while not stop.is_set():
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                continue
            except OSError as error:  # e.g. ICMP port unreachable from an earlier send
                self.output.event("error", detail=f"receive failed: {error}")
                continue
            peer = benchwire.address_text(sender)
            self.output.event("recv", peer=peer, len=len(data), hex=data.hex())
            reply = self.answer(data, sender)
            try:
                self.socket.sendto(reply, sender)
            except OSError as error:
                self.output.event("error", peer=peer, detail=f"reply failed: {error}")
                if not self.output.json_mode:
                    print(f"reply to {peer} failed: {error}", file=sys.stderr)
            if self.waiting_line:
                self.output.say(self.waiting_line)

    def close(self) -> None:
        self.socket.close()
