"""IP multicast facts, without sockets: group ranges and the membership request.

The lecture says multicast groups are 224.0.0.0–230.255.255.255; class D is
224.0.0.0–239.255.255.255 (224.0.0.0/4), and 239.0.0.0/8 is the
administratively scoped block meant for private use, which the bench uses.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Final

ACK: Final = b"ack"
CLASS_D: Final = ipaddress.IPv4Network("224.0.0.0/4")
ADMIN_SCOPED: Final = ipaddress.IPv4Network("239.0.0.0/8")
ANY_INTERFACE: Final = "0.0.0.0"


class NotAGroup(ValueError):
    """An address that is not an IPv4 multicast group."""


def check_group(text: str) -> str:
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        raise NotAGroup(f"{text!r} is not an IPv4 address") from None
    if address not in CLASS_D:
        raise NotAGroup(f"{text} is not a multicast group (class D is 224.0.0.0 to 239.255.255.255)")
    return text


def membership_request(group: str, interface: str = ANY_INTERFACE) -> bytes:
    """The `struct ip_mreq` for IP_ADD_MEMBERSHIP: two 4-byte IPv4 addresses.

    The lecture packs it as '4sl' (a 4-byte group and a C long): on 64-bit Linux
    that is 16 bytes with INADDR_ANY in the first half of the long, accepted
    only because the kernel reads the first 8 bytes. '4s4s' is the structure.
    """
    return socket.inet_aton(check_group(group)) + socket.inet_aton(interface)
