"""The `addr` tool's answers as data: address literals, byte orders, and how both are printed.

No I/O and no `socket` here (STYLE.md): `crosswire.addr` asks the socket
library and hands its results to these functions, and the Java twin
(`crosswire.addr.Literals`, `ByteOrders`, `Addr`) builds the very same JSON
objects and text lines, so the two tools can be compared line for line.

An *answer* is what one parser made of one text:

    {"valid": true, "family": "IPv4", "text": "127.0.0.1", "packed": "7f000001"}
    {"valid": false, "reason": "invalid", "error": "..."}

`reason` is "invalid" (not an address), "ambiguous" (Java: a BSD form such as
`0x7f.1` that it refuses to guess at) or "name" (Java: not a literal, so
`InetAddress.getByName` would hand it to the resolver; the tool does not).
"""

from __future__ import annotations

import ipaddress
import json
import re
import struct
import sys
from collections.abc import Callable
from typing import Any

Answer = dict[str, Any]
ByteOrders = dict[str, Any]

INVALID = "invalid"
AMBIGUOUS = "ambiguous"
NAME = "name"
MAX_U16 = 0xFFFF
MAX_U32 = 0xFFFF_FFFF
_NUMBER = re.compile(r"[0-9]+|0[xX][0-9a-fA-F]+")


def valid_answer(family: str, text: str, packed: bytes) -> Answer:
    return {"valid": True, "family": family, "text": text, "packed": packed.hex()}


def invalid_answer(reason: str, error: str) -> Answer:
    return {"valid": False, "reason": reason, "error": error}


def ipaddress_answer(text: str) -> Answer:
    """What `ipaddress.ip_address` makes of `text` (strict: no shorthands, no leading zeros)."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError as error:
        return invalid_answer(INVALID, str(error))
    return valid_answer(f"IPv{address.version}", str(address), address.packed)


def inet_aton_answer(parse: Callable[[str], bytes], text: str) -> Answer:
    """What `parse` (socket.inet_aton: the C library's BSD parser) makes of `text`."""
    try:
        packed = parse(text)
    except (OSError, ValueError) as error:  # ValueError: an embedded NUL
        return invalid_answer(INVALID, str(error))
    return valid_answer("IPv4", ".".join(str(b) for b in packed), packed)


def comparable(answer: Answer) -> Answer:
    """An answer without its error message: messages are for people, not for agreement."""
    return {key: value for key, value in answer.items() if key != "error"}


def parse_number(text: str) -> int:
    """`order`'s argument: decimal or 0x-hexadecimal, 0 to 2**32 - 1."""
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"expected a number (decimal or 0x hex), not {text!r}")
    value = int(text, 0) if text[:2].lower() == "0x" else int(text, 10)
    if value > MAX_U32:
        raise ValueError(f"{text} does not fit in 32 bits (at most {MAX_U32})")
    return value


def byte_orders(value: int, htons: Callable[[int], int], htonl: Callable[[int], int]) -> ByteOrders:
    """`value` as 16- and 32-bit integers in host and network byte order.

    `host` is the bytes as this machine stores them (struct's native `=`),
    `network` big-endian (struct's `!`); `htons`/`htonl` are the functions
    the lecture names, whose result is the integer whose host-order bytes
    are the network-order bytes. A value above 65,535 has no 16-bit form.
    """
    u16 = None
    if value <= MAX_U16:
        u16 = {
            "host": struct.pack("=H", value).hex(),
            "network": struct.pack("!H", value).hex(),
            "htons": htons(value),
        }
    u32 = {
        "host": struct.pack("=I", value).hex(),
        "network": struct.pack("!I", value).hex(),
        "htonl": htonl(value),
    }
    return {"value": value, "host_order": sys.byteorder, "u16": u16, "u32": u32}


# --- the readable (not --json) output, identical in both languages --------------------


def quoted(text: str) -> str:
    """`text` as a JSON string: every input, even an empty or odd one, is visible."""
    return json.dumps(text, ensure_ascii=True)


def describe(answer: Answer) -> str:
    if answer["valid"]:
        return f"{answer['family']} {answer['text']} (packed {answer['packed']})"
    return f"{answer['reason']}: {answer['error']}"


def spaced(hex_bytes: str) -> str:
    return " ".join(hex_bytes[i : i + 2] for i in range(0, len(hex_bytes), 2))


def order_lines(orders: ByteOrders) -> list[str]:
    value = orders["value"]
    lines = [f"order {value} (0x{value:x}): this host is {orders['host_order']}-endian"]
    u16 = orders["u16"]
    if u16 is None:
        lines.append("  16-bit: does not fit")
    else:
        lines.append(
            f"  16-bit: host order {spaced(u16['host'])}, network order {spaced(u16['network'])},"
            f" htons = {u16['htons']} (0x{u16['htons']:04x})"
        )
    u32 = orders["u32"]
    lines.append(
        f"  32-bit: host order {spaced(u32['host'])}, network order {spaced(u32['network'])},"
        f" htonl = {u32['htonl']} (0x{u32['htonl']:08x})"
    )
    return lines
