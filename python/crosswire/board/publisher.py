"""Message board publisher: create a board (and get its token), post to it, list the boards.

    python -m crosswire.board.publisher create news
    python -m crosswire.board.publisher post news --token T "first message" "second"
    python -m crosswire.board.publisher list

Posts go over one connection, several in flight at a time (replies come in
order); with --json and no TEXT arguments, texts are read from stdin as hex
lines of UTF-8, and each gets a `posted` (or `error`) event.
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from crosswire.board.connection import BoardConnection, ServerClosed, check_answers
from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.board import Boards, Create, Created, ErrorReply, ListBoards, Post, Posted, Reply
from crosswire.protocol.errors import ProtocolError

DEFAULT_PORT = 7500
WINDOW = 32  # posts in flight on the connection
TEXT_ENCODING = ("utf-8", "surrogatepass")  # a lone surrogate as its 3 bytes, so every Java string has a form


def add_connection_options(parser: argparse.ArgumentParser, defaults: bool) -> None:
    """The options every command takes, before or after its name (only the first parser sets defaults)."""

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    parser.add_argument("--host", default=default("127.0.0.1"))
    parser.add_argument("--port", type=int, default=default(DEFAULT_PORT))
    parser.add_argument("--timeout", type=float, default=default(5.0), help="seconds to wait for each reply")
    parser.add_argument("--json", action="store_true", default=default(False), help="bench mode: JSON events")


class Publisher:
    def __init__(self, connection: BoardConnection, output: Output, errors: TextIO) -> None:
        self.connection = connection
        self.output = output
        self.errors = errors  # where refusals go by hand

    def refused(self, reply: ErrorReply, **fields: Any) -> int:
        self.output.event("error", code=reply.code, detail=reply.message, **fields)
        if not self.output.json_mode:
            print(f"refused: {reply.code} {reply.message}", file=self.errors)
        return 1

    def unexpected(self, reply: Reply) -> int:
        self.output.event("error", detail=f"unexpected reply {reply}")
        if not self.output.json_mode:
            print(f"unexpected reply {reply}", file=self.errors)
        return 1

    def create(self, topic: str) -> int:
        reply = self.connection.call(Create(self.connection.next_id(), topic))
        if isinstance(reply, ErrorReply):
            return self.refused(reply)
        if not isinstance(reply, Created):
            return self.unexpected(reply)
        self.output.event("created", topic=reply.topic, group=reply.group, port=reply.port, token=reply.token)
        self.output.say(f"created board {reply.topic}: group {reply.group} port {reply.port} token {reply.token}")
        return 0

    def list(self) -> int:
        reply = self.connection.call(ListBoards(self.connection.next_id()))
        if isinstance(reply, ErrorReply):
            return self.refused(reply)
        if not isinstance(reply, Boards):
            return self.unexpected(reply)
        for board in reply.boards:
            self.output.event("board", topic=board.topic, group=board.group, port=board.port, last_seq=board.last_seq)
            self.output.say(f"{board.topic} {board.group}:{board.port} last #{board.last_seq}")
        if not reply.boards:
            self.output.say("(no boards)")
        return 0

    def post(self, topic: str, token: str, texts: Iterable[str | bytes]) -> int:
        """Post every text (bytes: UTF-8 from the bench, refused with an `error` event if it is not)."""
        in_flight: collections.deque[tuple[int, Post]] = collections.deque()
        status = 0
        try:
            for index, text in enumerate(texts):
                try:
                    request = Post(self.connection.next_id(), topic, token,
                                   text.decode(*TEXT_ENCODING) if isinstance(text, bytes) else text)
                    self.connection.send(request)
                except (UnicodeDecodeError, ProtocolError) as error:
                    self.output.event("error", index=index, detail=f"not sent: {error}")
                    if not self.output.json_mode:
                        print(f"message {index} not sent: {error}", file=self.errors)
                    status = 1
                    continue
                in_flight.append((index, request))
                if len(in_flight) >= WINDOW:
                    status |= self.settle(*in_flight.popleft())
        except benchwire.BenchLineError:
            # stdin held a line that is not hex: the posts already sent still get their events.
            while in_flight:
                self.settle(*in_flight.popleft())
            raise
        while in_flight:
            status |= self.settle(*in_flight.popleft())
        return status

    def settle(self, index: int, request: Post) -> int:
        reply = check_answers(request, self.connection.receive())
        if isinstance(reply, ErrorReply):
            return self.refused(reply, index=index)
        if not isinstance(reply, Posted):
            return self.unexpected(reply)
        self.output.event("posted", topic=reply.topic, seq=reply.seq, index=index)
        self.output.say(f"posted {reply.topic} #{reply.seq}")
        return 0


def stdin_texts(stdin: TextIO, json_mode: bool) -> Iterator[str | bytes]:
    """Texts from stdin: hex lines of UTF-8 on the bench, plain lines by hand."""
    if json_mode:
        yield from benchwire.read_message_lines(stdin)
    else:
        for line in stdin:
            yield line.rstrip("\r\n")


COMMANDS = {
    "create": "create a board; prints its group, port and token",
    "post": "post texts (arguments, else stdin lines) to a board",
    "list": "list the boards",
}


def command_parser(console: Console, command: str) -> argparse.ArgumentParser:
    parser = ArgumentParser(console, prog=f"python -m crosswire.board.publisher {command}",
                                     description=COMMANDS[command])
    add_connection_options(parser, defaults=False)
    if command in ("create", "post"):
        parser.add_argument("topic")
    if command == "post":
        parser.add_argument("--token", default="", help="the board's token, as create printed it")
        parser.add_argument("texts", nargs="*", metavar="TEXT")
    return parser


def parse_arguments(console: Console, argv: list[str]) -> argparse.Namespace:
    """Options may come before or after the command; a command's texts and --token in any order."""
    parser = ArgumentParser(
        console, description=__doc__.splitlines()[0],
        epilog="commands: " + "; ".join(f"{name}: {text}" for name, text in COMMANDS.items()),
    )
    add_connection_options(parser, defaults=True)
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("arguments", nargs=argparse.REMAINDER, help="the command's arguments (COMMAND --help)")
    args = parser.parse_args(argv)
    # Intermixed, so `post news --token T one two` reads both texts (argparse's subparsers cannot).
    return command_parser(console, args.command).parse_intermixed_args(args.arguments, namespace=args)


def run(argv: list[str], console: Console) -> int:
    args = parse_arguments(console, argv)
    output = Output(args.json, console.stdout)
    try:
        connection = BoardConnection(args.host, args.port, args.timeout)
    except OSError as error:
        console.error(f"board publisher: cannot connect to {args.host}:{args.port}: {error.strerror or error}")
        return 1
    publisher = Publisher(connection, output, console.stderr)
    try:
        if args.command == "create":
            return publisher.create(args.topic)
        if args.command == "list":
            return publisher.list()
        return publisher.post(args.topic, args.token, args.texts or stdin_texts(console.stdin, args.json))
    except benchwire.BenchLineError as error:
        console.error(f"board publisher: {error}")
        return 2
    except TimeoutError:
        output.event("timeout", detail=f"no reply within {args.timeout:g} s")
        console.error(f"board publisher: no reply within {args.timeout:g} s")
        return 1
    except (ServerClosed, OSError, ProtocolError) as error:
        output.event("error", detail=str(error))
        console.error(f"board publisher: {error}")
        return 1
    finally:
        connection.close()


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
