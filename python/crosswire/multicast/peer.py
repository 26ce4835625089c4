"""MulticastPeer: joins a group, sends one message, prints the next three it receives.

The Python twin of Java's MulticastPeer. As there, the peer receives its own
message too (multicast loopback is on), so peers started together each see
every peer's message, their own included.
"""

from __future__ import annotations

import socket
import sys
import time

from crosswire.multicast.sockets import (
    RECEIVE_BUFFER,
    configure_sending,
    group_receiver,
    leave,
    multicast_interface,
)
from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.multicast import ANY_INTERFACE, check_group

EXAMPLE = "multicast-peer"
DEFAULT_GROUP = "228.5.6.7"
DEFAULT_PORT = 6789
DEFAULT_MESSAGE = "大家好"


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("message", nargs="?", default=DEFAULT_MESSAGE)
    parser.add_argument("--group", default=DEFAULT_GROUP)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--iface", default=ANY_INTERFACE)
    parser.add_argument("--ttl", type=int, default=1)
    parser.add_argument("--count", type=int, default=3, help="datagrams to receive before leaving")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for them")
    parser.add_argument("--message-hex", help="bench mode: the message, as hex")
    parser.add_argument("--wait-start", action="store_true", help="send after one line on stdin")
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    try:
        check_group(args.group)
        socket.inet_aton(args.iface)
    except (ValueError, OSError) as error:
        parser.error(f"{error}")  # a usage error: status 2

    output = Output(args.json, console.stdout)
    message = bytes.fromhex(args.message_hex) if args.message_hex is not None else args.message.encode("utf-8")
    try:
        sock = group_receiver(args.group, args.port, args.iface)
    except (OSError, ValueError) as error:
        console.error(f"MulticastPeer: cannot join {args.group}:{args.port}: {error}")
        return 1
    with sock:
        configure_sending(sock, args.ttl, args.iface)
        output.event("interface", iface=multicast_interface(sock), ttl=args.ttl)
        output.line(f"{benchwire.ready_line(EXAMPLE, args.group, args.port)} iface={args.iface}")
        if args.wait_start:
            console.stdin.readline()
        sock.sendto(message, (args.group, args.port))
        output.event("sent", len=len(message))
        deadline = time.monotonic() + args.timeout
        received = 0
        while received < args.count and (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining)
            # Only an in-process peer is ever stopped (a process is killed): it leaves the group at once.
            if not console.stop.wait_readable(sock, remaining):
                break
            try:
                data, sender = sock.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                break
            received += 1
            output.event("recv", peer=benchwire.address_text(sender), len=len(data), hex=data.hex())
            output.say(f"Received: {data.decode('utf-8', 'replace')}")
        leave(sock, args.group, args.iface)
    if console.stop.is_set() and received < args.count:
        return 1  # stopped before its messages came: it did not time out
    if received < args.count:
        output.event("timeout", received=received, expected=args.count)
        output.say(f"only {received} of {args.count} messages within {args.timeout:g} s")
        return 1
    return 0


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
