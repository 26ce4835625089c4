"""Multicast sender: sends each message to the group, then collects the `ack`s.

Fixed from the lecture: its `finally: sock.close()` is indented under the
inner `try/except/else`, so the outer `try` has no handler (a SyntaxError),
and attached to the inner one it would close the socket after the first
response; its 16-byte `recvfrom` buffer silently truncated anything longer;
the outgoing interface was left to chance (now --iface, IP_MULTICAST_IF);
acks were not counted, so a lost message went unnoticed.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterable

from crosswire.multicast.sockets import RECEIVE_BUFFER, configure_sending, multicast_interface
from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.multicast import ACK, ANY_INTERFACE, check_group

DEFAULT_GROUP = "224.3.29.71"
DEFAULT_PORT = 10000
DEFAULT_MESSAGE = "very important data"


def collect_acks(sock: socket.socket, seq: int, timeout: float, expected: int | None, output: Output) -> int:
    """Acks for message `seq` until `timeout` passes or `expected` have come."""
    count = 0
    deadline = time.monotonic() + timeout
    while expected is None or count < expected:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock.settimeout(remaining)
        output.say("waiting to receive")
        try:
            data, sender = sock.recvfrom(RECEIVE_BUFFER)
        except TimeoutError:
            output.say("timed out, no more responses")
            break
        if data != ACK:
            output.event("stale", seq=seq, len=len(data), peer=benchwire.address_text(sender))
            continue
        count += 1
        output.event("ack", seq=seq, peer=benchwire.address_text(sender))
        output.say(f"received {data!r} from {sender}")
    return count


def send_all(group: str, port: int, ttl: int, interface: str, messages: Iterable[bytes], timeout: float,
             expected: int | None, output: Output) -> int:
    status = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        configure_sending(sock, ttl, interface)
        output.event("interface", iface=multicast_interface(sock), ttl=ttl)
        for seq, message in enumerate(messages):
            output.say(f"sending {message.decode('utf-8', 'replace')!r} to {group}:{port}")
            try:
                sock.sendto(message, (group, port))
            except OSError as error:  # e.g. longer than one datagram
                output.event("error", seq=seq, detail=f"not sent: {error}")
                output.say(f"not sent: {error}")
                status = 1
                continue
            output.event("sent", seq=seq, len=len(message))
            count = collect_acks(sock, seq, timeout, expected, output)
            output.event("acks", seq=seq, count=count)
            if count == 0 or (expected is not None and count != expected):
                status = 1
        output.say("closing socket")
    return status


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("message", nargs="?", default=DEFAULT_MESSAGE)
    parser.add_argument("--group", default=DEFAULT_GROUP)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--iface", default=ANY_INTERFACE, help="IPv4 address of the interface to send from")
    parser.add_argument("--ttl", type=int, default=1)
    parser.add_argument("--ack-timeout", type=float, default=1.0, help="seconds to collect acks per message")
    parser.add_argument("--expect-acks", type=int, default=None, help="stop collecting after this many")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)
    try:
        check_group(args.group)
    except ValueError as error:
        parser.error(str(error))
    if not 0 <= args.ttl <= 255:
        parser.error("--ttl must be 0 to 255")

    output = Output(args.json, console.stdout)
    messages = benchwire.read_message_lines(console.stdin) if args.json else [args.message.encode("utf-8")]
    try:
        return send_all(args.group, args.port, args.ttl, args.iface, messages, args.ack_timeout, args.expect_acks,
                        output)
    except benchwire.BenchLineError as error:
        console.error(f"multicast sender: {error}")
        return 2


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
