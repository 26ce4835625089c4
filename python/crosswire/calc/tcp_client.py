"""Calculator client over TCP: each request a line, each reply read whole, in order."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator

from crosswire.peerutil import Output
from crosswire.protocol import benchwire
from crosswire.tcpthreaded.client import ThreadedClient, run

DEFAULT_PORT = 7000


def typed_requests(prompt: str) -> Iterator[bytes]:
    """Requests typed at the keyboard, until end of input or `bye`."""
    while True:
        try:
            text = input(prompt)
        except EOFError:
            return
        if text.strip() == "bye":
            return
        if text.strip():
            yield text.encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requests", nargs="*", help='requests such as "+ 4 5" (default: read them from the keyboard)')
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds for each reply")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)

    output = Output(args.json)
    requests: Iterable[bytes]
    if args.json:
        requests = benchwire.read_message_lines(sys.stdin)
    elif args.requests:
        requests = [r.encode("utf-8") for r in args.requests]
    else:
        requests = typed_requests("calc> ")
    # A calculator request is a line and its reply is a line: the multithreaded example's
    # line client is exactly the transport needed. Bytes that are not UTF-8 are sent as they
    # are: answering them (ERR BAD_UTF8) is the server's job.
    try:
        return run(ThreadedClient(args.host, args.port, args.timeout, require_utf8=False), requests, output)
    except benchwire.BenchLineError as error:
        print(f"calc client: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
