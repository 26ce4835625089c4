"""Multicast receiver: joins the group, prints each message, unicasts `ack` back.

Fixed from the lecture: the membership request was packed as '4sl', right
only by accident on 64-bit Linux (it is two IPv4 addresses: '4s4s'); it
joined on whatever interface the OS picked, silently (the interface is now an
option, and reported); it could not be stopped cleanly.
"""

from __future__ import annotations

import socket
import sys

from crosswire.multicast.sockets import RECEIVE_BUFFER, group_receiver
from crosswire.peerutil import POLL_INTERVAL, ArgumentParser, Console, Output, Stop, main_of, run_server
from crosswire.protocol import benchwire
from crosswire.protocol.multicast import ACK, ANY_INTERFACE, check_group

EXAMPLE = "multicast-receiver"
DEFAULT_GROUP = "224.3.29.71"
DEFAULT_PORT = 10000


class Receiver:
    def __init__(self, group: str, port: int, interface: str, output: Output) -> None:
        self.output = output
        self.interface = interface
        self.socket = group_receiver(group, port, interface)
        self.socket.settimeout(POLL_INTERVAL)  # readable can still mean nothing to read (a bad checksum)
        self.server_address = (group, port)
        # Acks leave from a socket of this receiver's own, not the shared group port, so a
        # sender can tell apart receivers that share a host (and the readiness line names it).
        self.ack_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.ack_socket.bind((interface, 0))
        except OSError:
            self.close()  # in-process, a failed start must not leave the group socket open
            raise
        self.ack_address = benchwire.address_text(self.ack_socket.getsockname())

    def serve(self, stop: Stop) -> None:
        while not stop.is_set():
            # Said again after each quiet POLL_INTERVAL too, as it always was by hand.
            self.output.say("\nwaiting to receive message")
            if not stop.wait_readable(self.socket):
                continue
            try:
                data, sender = self.socket.recvfrom(RECEIVE_BUFFER)
            except TimeoutError:
                continue
            self.acknowledge(data, sender)

    def acknowledge(self, data: bytes, sender: tuple[str, int]) -> None:
        self.output.event("recv", peer=benchwire.address_text(sender), len=len(data), hex=data.hex())
        self.output.say(f"received {len(data)} bytes from {sender}")
        self.output.say(data.decode("utf-8", "replace"))
        self.output.say(f"sending acknowledgement to {sender}")
        try:
            self.ack_socket.sendto(ACK, sender)
        except OSError as error:
            self.output.event("error", peer=benchwire.address_text(sender), detail=f"ack failed: {error}")

    def close(self) -> None:
        self.socket.close()
        self.ack_socket.close()


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--group", default=DEFAULT_GROUP)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--iface", default=ANY_INTERFACE, help="IPv4 address of the interface to join on")
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    try:
        check_group(args.group)
        socket.inet_aton(args.iface)
    except (ValueError, OSError) as error:
        parser.error(f"{error}")  # a usage error: status 2

    output = Output(args.json, console.stdout)
    try:
        receiver = Receiver(args.group, args.port, args.iface, output)
    except (OSError, ValueError) as error:
        console.error(f"multicast receiver: cannot join {args.group}:{args.port}: {error}")
        return 1
    extra = f"iface={args.iface} ack={receiver.ack_address}"
    return run_server(EXAMPLE, output, lambda: receiver, args.group, args.port, console, ready_extra=extra)


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
