"""Calculator client over TCP: each request a line, each reply read whole, in order."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.tcpthreaded.client import ThreadedClient, exchange_all, typed_line

DEFAULT_PORT = 7000


def typed_requests(console: Console, prompt: str) -> Iterator[bytes]:
    """Requests typed at the keyboard, until end of input or `bye`."""
    while (text := typed_line(console, prompt)) is not None and text.strip() != "bye":
        if text.strip():
            yield text.encode("utf-8")


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("requests", nargs="*", help='requests such as "+ 4 5" (default: read them from the keyboard)')
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds for each reply")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)

    output = Output(args.json, console.stdout)
    requests: Iterable[bytes]
    if args.json:
        requests = benchwire.read_message_lines(console.stdin)
    elif args.requests:
        requests = [r.encode("utf-8") for r in args.requests]
    else:
        requests = typed_requests(console, "calc> ")
    # A calculator request is a line and its reply is a line: the multithreaded example's
    # line client is exactly the transport needed. Bytes that are not UTF-8 are sent as they
    # are: answering them (ERR BAD_UTF8) is the server's job.
    try:
        return exchange_all(ThreadedClient(args.host, args.port, args.timeout, require_utf8=False), requests, output)
    except benchwire.BenchLineError as error:
        console.error(f"calc client: {error}")
        return 2


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
