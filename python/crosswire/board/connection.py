"""A client's TCP connection to the board server: send requests, read replies in order."""

from __future__ import annotations

import itertools
import socket

from crosswire.protocol.board import END_OF_STREAM, NEED_DATA, Reply, Request, encode, reply_decoder
from crosswire.protocol.errors import RemoteProtocolError

RECV_SIZE = 65_536


class ServerClosed(ConnectionError):
    """The server closed the connection (between replies, or inside one)."""


class UnexpectedReply(RemoteProtocolError):
    """A reply that does not answer the request it should (another request_id)."""


def check_answers(request: Request, reply: Reply) -> Reply:
    """`reply`, if it carries `request`'s request_id; else UnexpectedReply."""
    if reply.request_id != request.request_id:
        raise UnexpectedReply(
            f"expected the reply to request {request.request_id}, got {type(reply).__name__} "
            f"for request {reply.request_id}: {reply}"[:300]
        )
    return reply


class BoardConnection:
    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.socket = socket.create_connection((host, port), timeout=timeout)
        self._decoder = reply_decoder()
        self._ids = itertools.count(1)
        self.closed = False

    def next_id(self) -> int:
        return next(self._ids)

    def send(self, request: Request) -> None:
        self.socket.sendall(encode(request))

    def receive(self) -> Reply:
        """The next reply, waiting at most the socket's timeout for each chunk (TimeoutError)."""
        while True:
            reply = self._decoder.next_message()
            if reply is END_OF_STREAM:
                self.closed = True
                raise ServerClosed("the server closed the connection")
            if reply is not NEED_DATA:
                return reply
            self._decoder.receive_data(self.socket.recv(RECV_SIZE))

    def receive_ready(self) -> list[Reply]:
        """Every whole reply after one `recv` (call it when the socket is readable); `closed` tells of the end."""
        self._decoder.receive_data(self.socket.recv(RECV_SIZE))
        replies: list[Reply] = []
        while True:
            reply = self._decoder.next_message()
            if reply is NEED_DATA:
                return replies
            if reply is END_OF_STREAM:
                self.closed = True
                return replies
            replies.append(reply)

    def call(self, request: Request) -> Reply:
        """Send `request` and wait for its reply (no other request may be in flight)."""
        self.send(request)
        return check_answers(request, self.receive())

    def close(self) -> None:
        self.socket.close()
