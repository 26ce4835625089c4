"""Message board subscriber: every message of one board, in order, exactly once.

It asks the server where the board is (LOOKUP), joins the board's group, and
from then on delivers what `BoardTracker` (crosswire.protocol.board_tracker)
says is next: MSG datagrams as they come, and over TCP (FETCH) the history it
asked for with --since and every gap a lost datagram or a heartbeat revealed.
One thread: `select` over the group socket and the server connection.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from typing import TextIO

from crosswire.board.connection import BoardConnection
from crosswire.multicast.sockets import RECEIVE_BUFFER, group_receiver, leave
from crosswire.peerutil import POLL_INTERVAL, ArgumentParser, Console, Output, Stop, main_of, serve_until_stopped
from crosswire.protocol import benchwire
from crosswire.protocol.board import Board, ErrorReply, Fetch, Lookup, Messages, Msg, decode_datagram
from crosswire.protocol.board_errors import MalformedBody
from crosswire.protocol.board_tracker import BoardTracker, FetchRange
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.multicast import ANY_INTERFACE

EXAMPLE = "board-subscriber"
DEFAULT_PORT = 7500
REQUEST_TIMEOUT = 5.0  # the LOOKUP's reply, and connecting again for a repair
DATAGRAMS_PER_TURN = 256  # so a flood of datagrams cannot starve the repairs
TEXT_ENCODING = ("utf-8", "surrogatepass")


class StartFailed(Exception):
    """The subscriber could not look the board up or join its group (the message says why)."""


class Subscriber:
    def __init__(self, args: argparse.Namespace, output: Output, errors: TextIO) -> None:
        self.topic: str = args.topic
        self.host: str = args.host
        self.port: int = args.port
        self.iface: str = args.iface
        self.count: int | None = args.count
        self.output = output
        self.errors = errors  # where errors go by hand
        self.delivered_count = 0
        self.pending: dict[int, FetchRange] = {}
        self.connection: BoardConnection | None = None
        try:
            self._start(args)
        except StartFailed:
            self.drop_connection()  # in-process, a failed start must leave nothing open
            raise

    def _start(self, args: argparse.Namespace) -> None:
        """Look the board up and join its group."""
        try:
            self.connection = BoardConnection(self.host, self.port, REQUEST_TIMEOUT)
            reply = self.connection.call(Lookup(self.connection.next_id(), self.topic))
        except (OSError, ProtocolError) as error:
            raise StartFailed(f"cannot look up board {self.topic} at {self.host}:{self.port}: {error}") from None
        if isinstance(reply, ErrorReply):
            raise StartFailed(f"cannot subscribe to {self.topic}: {reply.code} {reply.message}")
        if not isinstance(reply, Board):
            raise StartFailed(f"unexpected reply to LOOKUP: {reply}")
        self.group, self.group_port = reply.group, reply.port
        try:
            self.socket = group_receiver(self.group, self.group_port, self.iface)
        except (OSError, ValueError) as error:
            raise StartFailed(f"cannot join {self.group}:{self.group_port} on {self.iface}: {error}") from None
        self.socket.setblocking(False)
        since: int | None = args.since
        delivered = reply.last_seq if since is None else max(since - 1, 0)
        self.tracker = BoardTracker(self.topic, delivered, args.repair_timeout)
        self.tracker.learn_latest(reply.last_seq)

    @property
    def done(self) -> bool:
        return self.count is not None and self.delivered_count >= self.count

    def run(self, stop: Stop, timeout: float | None) -> int:
        """Deliver until --count messages were delivered (0), --timeout passed (1 with --count), or SIGTERM."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not stop.is_set() and not self.done:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return 1 if self.count is not None else 0
            for fetch in self.tracker.fetches_due(now):
                self.request(fetch)
            wake = [now + POLL_INTERVAL] + [t for t in (deadline, self.tracker.next_deadline()) if t is not None]
            sockets: list[socket.socket] = [self.socket]
            if self.connection is not None:
                sockets.append(self.connection.socket)
            readable = stop.wait_readable_any(sockets, max(0.0, min(wake) - now))
            if self.socket in readable:
                self.read_datagrams()
            if self.connection is not None and self.connection.socket in readable:
                self.read_replies()
        return 0

    def deliver(self, messages: list[Msg]) -> None:
        for message in messages:
            if self.done:
                return
            self.delivered_count += 1
            text = message.text.encode(*TEXT_ENCODING)
            self.output.event("deliver", topic=message.topic, seq=message.seq, hex=text.hex())
            self.output.say(f"[{message.topic} #{message.seq}] {message.text}")

    def error(self, detail: str, peer: str | None = None) -> None:
        self.output.event("error", detail=detail, **({"peer": peer} if peer else {}))
        if not self.output.json_mode:
            print(f"board subscriber: {detail}", file=self.errors, flush=True)

    def read_datagrams(self) -> None:
        for _ in range(DATAGRAMS_PER_TURN):
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except BlockingIOError:
                return
            peer = benchwire.address_text(sender)
            try:
                datagram = decode_datagram(data)
            except MalformedBody as error:
                self.error(f"datagram ignored: {error}", peer)
                continue
            if datagram.topic != self.topic:
                self.error(f"datagram of board {datagram.topic!r} on {self.topic}'s group ignored", peer)
            elif isinstance(datagram, Msg):
                self.deliver(self.tracker.on_msg(datagram))
            else:
                self.tracker.on_heartbeat(datagram)

    def request(self, fetch: FetchRange) -> None:
        """FETCH `fetch` (connecting again if need be); if that fails, the tracker asks again later."""
        self.output.event("repair", topic=self.topic, **{"from": fetch.from_seq, "to": fetch.to_seq})
        try:
            if self.connection is None:
                self.connection = BoardConnection(self.host, self.port, REQUEST_TIMEOUT)
            request = Fetch(self.connection.next_id(), self.topic, fetch.from_seq, fetch.to_seq)
            self.connection.send(request)
            self.pending[request.request_id] = fetch
        except OSError as error:
            self.error(f"FETCH {fetch.from_seq}..{fetch.to_seq} not sent: {error}")
            self.drop_connection()

    def read_replies(self) -> None:
        assert self.connection is not None
        try:
            replies = self.connection.receive_ready()
        except (OSError, ProtocolError) as error:
            self.error(f"connection to the server failed: {error}")
            self.drop_connection()
            return
        for reply in replies:
            fetch = self.pending.pop(reply.request_id, None)
            if isinstance(reply, Messages) and fetch is not None:
                self.deliver(self.tracker.on_messages(fetch, reply))
            elif isinstance(reply, ErrorReply):
                self.error(f"FETCH refused: {reply.code} {reply.message}")
            else:
                self.error(f"unexpected reply {reply}"[:300])
        if self.connection.closed:
            if self.pending:
                self.error(f"the server closed the connection with {len(self.pending)} FETCH unanswered")
            self.drop_connection()

    def drop_connection(self) -> None:
        # Unanswered FETCHes stay in the tracker and are sent again when they time out.
        self.pending.clear()
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def close(self) -> None:
        self.drop_connection()
        try:
            leave(self.socket, self.group, self.iface)
        except OSError:
            pass
        self.socket.close()


def since_value(text: str) -> int:
    if text == "all":
        return 0
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a sequence number (0 or more) or 'all', got {text!r}")
    return int(text)


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("topic")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--since", type=since_value, default=None,
                        help="deliver from this sequence number on (0 or 'all': the whole history); "
                             "default: only new messages")
    parser.add_argument("--iface", default=ANY_INTERFACE, help="IPv4 address of the interface to join on")
    parser.add_argument("--count", type=int, default=None, help="exit after this many deliveries")
    parser.add_argument("--timeout", type=float, default=None,
                        help="exit after this many seconds (status 1 if --count was not reached)")
    parser.add_argument("--repair-timeout", type=float, default=0.5,
                        help="seconds before a FETCH still unanswered is sent again")
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    try:
        socket.inet_aton(args.iface)
    except OSError:
        parser.error(f"--iface {args.iface!r} is not an IPv4 address")
    if args.repair_timeout <= 0:
        parser.error("--repair-timeout must be positive")

    output = Output(args.json, console.stdout)
    stop = serve_until_stopped(console)
    try:
        subscriber = Subscriber(args, output, console.stderr)
    except StartFailed as error:
        console.error(f"board subscriber: {error}")
        return 1
    try:
        ready = benchwire.ready_line(EXAMPLE, subscriber.group, subscriber.group_port)
        output.line(f"{ready} iface={args.iface}")
        return subscriber.run(stop, args.timeout)
    finally:
        subscriber.close()


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
