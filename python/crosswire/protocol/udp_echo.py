"""UDP echo, as a protocol: one datagram in, the same bytes back.

The lecture says "IP allows 2^16 bytes message length". The IPv4 total-length
field is 16 bits, but it counts the 20-byte IP header and the 8-byte UDP
header too, so the largest UDP payload over IPv4 is 65,535 - 28 = 65,507
bytes (docs/errata.md).
"""

from __future__ import annotations

IPV4_HEADER = 20
UDP_HEADER = 8
MAX_IPV4_UDP_PAYLOAD = 65_535 - IPV4_HEADER - UDP_HEADER  # 65,507
RECEIVE_BUFFER = 65_535  # larger than any datagram, so nothing is truncated


class DatagramTooLarge(ValueError):
    """A message cannot be one UDP datagram over IPv4."""


def check_datagram(message: bytes) -> bytes:
    """The message, if it fits in one IPv4 UDP datagram; else DatagramTooLarge."""
    if len(message) > MAX_IPV4_UDP_PAYLOAD:
        raise DatagramTooLarge(
            f"message of {len(message)} bytes is larger than the largest UDP payload "
            f"over IPv4 ({MAX_IPV4_UDP_PAYLOAD} bytes); nothing was sent"
        )
    return message


def is_reply(sent: bytes, server: tuple[str, int], reply: bytes, source: tuple[str, int]) -> bool:
    """Whether a datagram is the echo of `sent`: same bytes, from the server.

    Matching on the bytes (not just "the next datagram") is what keeps a late
    reply to an earlier attempt from being taken as the reply to this one.
    """
    return reply == sent and (source[0], source[1]) == (server[0], server[1])
