"""UDP echo client: sends each message and waits, with a deadline, for its echo.

Fixed from the lecture: its `recvfrom` had no timeout, so one lost datagram
blocked it forever; it received into 1,024 bytes, truncating longer echoes;
and it took whatever datagram came next as the reply. Here each message is
resent after a timeout, a bounded number of times, and a reply counts only if
it carries the same bytes from the server's address.
"""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import benchwire
from crosswire.protocol.udp_echo import RECEIVE_BUFFER, DatagramTooLarge, check_datagram, is_reply

DEFAULT_PORT = 6789
LECTURE_MESSAGES = ["Mon", "Tue", "Wed", "Thu", "Fri"]


@dataclass
class Reply:
    data: bytes
    rtt_ms: float
    attempts: int


@dataclass
class TimedOut:
    attempts: int


class UdpEchoClient:
    def __init__(self, host: str, port: int, timeout: float, retries: int, output: Output) -> None:
        self.output = output
        self.timeout = timeout
        self.retries = retries
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Resolve once, so replies can be matched against the address they come from.
        self.server: tuple[str, int] = (socket.gethostbyname(host), port)

    def exchange(self, seq: int, message: bytes) -> Reply | TimedOut:
        """Send `message` until its echo arrives or every attempt timed out."""
        check_datagram(message)
        attempts = 0
        while attempts <= self.retries:
            attempts += 1
            sent_at = time.monotonic()
            self.socket.sendto(message, self.server)
            deadline = sent_at + self.timeout
            while (remaining := deadline - time.monotonic()) > 0:
                self.socket.settimeout(remaining)
                try:
                    data, source = self.socket.recvfrom(RECEIVE_BUFFER)
                except TimeoutError:
                    break
                except ConnectionRefusedError:
                    # ICMP port unreachable: nobody listens yet; the deadline still holds.
                    continue
                if is_reply(message, self.server, data, source):
                    rtt_ms = (time.monotonic() - sent_at) * 1000.0
                    return Reply(data, rtt_ms, attempts)
                self.output.event(
                    "stale", seq=seq, len=len(data), peer=benchwire.address_text(source)
                )
        return TimedOut(attempts)

    def close(self) -> None:
        self.socket.close()


def exchange_all(client: UdpEchoClient, messages: Iterable[bytes]) -> int:
    """Exchange every message; exit status 0 only if each got its echo."""
    output = client.output
    status = 0
    for seq, message in enumerate(messages):
        output.say(f"Send:  {message.decode('utf-8', 'replace')}")
        try:
            outcome = client.exchange(seq, message)
        except (DatagramTooLarge, OSError) as error:
            output.event("error", seq=seq, detail=str(error))
            output.say(f"Error: {error}")
            status = 1
            continue
        if isinstance(outcome, Reply):
            output.event(
                "reply", seq=seq, len=len(outcome.data), hex=outcome.data.hex(),
                rtt_ms=round(outcome.rtt_ms, 3), attempts=outcome.attempts,
            )
            text = outcome.data.decode("utf-8", "replace")
            output.say(f"Receive {text} ({len(outcome.data)} bytes) from {client.server}")
        else:
            output.event("timeout", seq=seq, attempts=outcome.attempts)
            output.say(
                f"No reply from {client.server} after {outcome.attempts} attempts "
                f"of {client.timeout} s each"
            )
            status = 1
    return status


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("messages", nargs="*", help="messages to send (default: Mon..Fri)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per attempt")
    parser.add_argument("--retries", type=int, default=2, help="resends after a timeout")
    parser.add_argument("--json", action="store_true", help="bench mode: hex lines in, JSON out")
    args = parser.parse_args(argv)
    if args.timeout <= 0 or args.retries < 0:
        parser.error("--timeout must be positive and --retries not negative")

    output = Output(args.json, console.stdout)
    client = UdpEchoClient(args.host, args.port, args.timeout, args.retries, output)
    try:
        if args.json:
            messages: Iterable[bytes] = benchwire.read_message_lines(console.stdin)
        else:
            messages = [m.encode("utf-8") for m in (args.messages or LECTURE_MESSAGES)]
        return exchange_all(client, messages)
    except benchwire.BenchLineError as error:
        console.error(f"udp-echo client: {error}")
        return 2
    finally:
        client.close()


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
