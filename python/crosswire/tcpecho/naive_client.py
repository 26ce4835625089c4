"""The lecture's TCP echo client, kept wrong on purpose: one `recv` per message.

It takes whatever one `recv(1024)` returns as the whole reply. On loopback a
small write arrives as one segment, so it seems to work; through the
fragmenting proxy (or a real network) a reply comes in pieces and the client
pairs pieces with the wrong messages. `crosswire demo tcp-echo --client naive
--variant fragmented` shows it; the matrix marks it as an expected failure.
"""

from __future__ import annotations

import socket
import sys

from crosswire.peerutil import Console, main_of
from crosswire.tcpecho import client

LECTURE_RECV = 1024


def exchange_one_recv(conn: socket.socket, message: bytes, timeout: float) -> bytes:
    conn.sendall(message)
    conn.settimeout(timeout)
    try:
        return conn.recv(LECTURE_RECV)  # the bug: one recv is not one message
    except TimeoutError:
        raise client.ReplyTimeout from None


def run(argv: list[str], console: Console) -> int:
    return client.run_with(argv, console, exchange_one_recv)


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
