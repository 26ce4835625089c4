"""Calculator client over UDP: each request tagged with an ID, resent on timeout, matched by ID.

A reply to an earlier attempt (or another request) carries another ID and is
ignored, so retries can never pair a request with the wrong answer.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from collections.abc import Iterable

from crosswire.calc.tcp_client import typed_requests
from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.calc import BadReply, parse_datagram_reply
from crosswire.protocol.udp_echo import RECEIVE_BUFFER

DEFAULT_PORT = 7001


class CalcUdpClient:
    def __init__(self, host: str, port: int, timeout: float, retries: int, output: Output) -> None:
        self.server = (socket.gethostbyname(host), port)
        self.timeout = timeout
        self.retries = retries
        self.output = output
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.session = os.urandom(3).hex()  # IDs differ between runs, not only between requests

    def exchange(self, seq: int, request: bytes) -> tuple[bytes, float, int] | int:
        """(reply without its ID, rtt in ms, attempts), or the attempts made when every one timed out."""
        request_id = f"{self.session}-{seq}"
        datagram = request_id.encode() + b" " + request
        for attempt in range(1, self.retries + 2):
            sent_at = time.monotonic()
            self.socket.sendto(datagram, self.server)
            deadline = sent_at + self.timeout
            while (remaining := deadline - time.monotonic()) > 0:
                self.socket.settimeout(remaining)
                try:
                    data, source = self.socket.recvfrom(RECEIVE_BUFFER)
                except TimeoutError:
                    break
                except ConnectionRefusedError:
                    continue
                try:
                    reply_id = parse_datagram_reply(data).request_id
                except BadReply:
                    reply_id = ""
                if source == self.server and reply_id == request_id:
                    return data[len(request_id) + 1 :], (time.monotonic() - sent_at) * 1000.0, attempt
                self.output.event("stale", seq=seq, len=len(data), peer=benchwire.address_text(source))
        return self.retries + 1


def exchange_all(client: CalcUdpClient, requests: Iterable[bytes]) -> int:
    try:
        return _exchange_each(client, requests)
    finally:  # also when a bad stdin line ends the run: in-process, nothing may be left open
        client.socket.close()


def _exchange_each(client: CalcUdpClient, requests: Iterable[bytes]) -> int:
    output = client.output
    status = 0
    for seq, request in enumerate(requests):
        try:
            outcome = client.exchange(seq, request)
        except OSError as error:
            output.event("error", seq=seq, detail=str(error))
            output.say(f"Error: {error}")
            status = 1
            continue
        if isinstance(outcome, int):
            output.event("timeout", seq=seq, attempts=outcome)
            output.say(f"No reply after {outcome} attempts")
            status = 1
            continue
        reply, rtt_ms, attempts = outcome
        output.event("reply", seq=seq, len=len(reply), hex=reply.hex(), rtt_ms=round(rtt_ms, 3), attempts=attempts)
        output.say(reply.decode("utf-8", "replace"))
    return status


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("requests", nargs="*", help='requests such as "+ 4 5" (default: read them from the keyboard)')
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per attempt")
    parser.add_argument("--retries", type=int, default=2)
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
    try:
        return exchange_all(CalcUdpClient(args.host, args.port, args.timeout, args.retries, output), requests)
    except benchwire.BenchLineError as error:
        console.error(f"calc client: {error}")
        return 2


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
