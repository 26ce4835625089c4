"""The shell every Python UDP server shares: bind, receive, answer, until told to stop.

The UDP twin of crosswire.tcpserver: a service subclasses it and overrides
`answer()`, which turns one datagram into its reply. The constructor binds,
so `server_address` is known before serving; a stop request wakes the loop at
once; an error on one datagram is reported and the server goes on.
"""

from __future__ import annotations

import socket
import sys
from typing import TextIO

from crosswire.peerutil import POLL_INTERVAL, Output, Stop
from crosswire.protocol import benchwire

RECEIVE_BUFFER = 65_535  # larger than any IPv4 datagram, so nothing is truncated


class UdpServer:
    waiting_line = ""  # printed by hand before each datagram, if any

    def __init__(self, host: str, port: int, output: Output, errors: TextIO | None = None) -> None:
        self.output = output
        self.errors = errors if errors is not None else sys.stderr  # where errors go by hand
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

    def serve(self, stop: Stop) -> None:
        if self.waiting_line:
            self.output.say(self.waiting_line)
        while not stop.is_set():
            if not stop.wait_readable(self.socket):
                continue
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
                    print(f"reply to {peer} failed: {error}", file=self.errors)
            if self.waiting_line:
                self.output.say(self.waiting_line)

    def close(self) -> None:
        self.socket.close()
