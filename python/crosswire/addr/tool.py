"""addr: what the socket library makes of names, address literals and integers.

    python -m crosswire.addr [--json] lookup NAME...     getaddrinfo, both families
    python -m crosswire.addr [--json] reverse ADDR...    gethostbyaddr
    python -m crosswire.addr [--json] parse TEXT...      ipaddress.ip_address and inet_aton
    python -m crosswire.addr [--json] order N...         htons/htonl and struct

Twin of `crosswire.addr.Addr` (Java): the same subcommands, the same JSON
events (one per argument) and the same readable lines. Everything works
offline: numeric addresses, `localhost` and the names in /etc/hosts.
Exit status: 0, or 1 when a lookup failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import ipaddress
import socket
from typing import Any

from crosswire.peerutil import ArgumentParser, Console, Output, main_of
from crosswire.protocol import addresses, benchwire
from crosswire.protocol.addresses import Answer

Event = dict[str, Any]
LABEL_WIDTH = 23  # "InetAddress.getByName: " lines up with the Python labels


def family_name(family: int) -> str:
    return "IPv6" if family == socket.AF_INET6 else "IPv4"


def lookup_event(name: str) -> Event:
    """Every address `getaddrinfo` gives for `name`, IPv4 and IPv6, in its order, once each."""
    try:
        infos = socket.getaddrinfo(name, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        return {"event": "error", "name": name, "detail": str(error)}
    found: list[dict[str, str]] = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        text = str(sockaddr[0])
        packed = socket.inet_pton(family, text.partition("%")[0])
        entry = {"family": family_name(family), "text": text, "packed": packed.hex()}
        if entry not in found:
            found.append(entry)
    return {"event": "lookup", "name": name, "addresses": found}


def reverse_event(address: str) -> Event:
    """The name `gethostbyaddr` finds for `address`, if any (`found` false when it finds none)."""
    try:
        name = socket.gethostbyaddr(address)[0]
    except (socket.herror, socket.gaierror):
        return {"event": "reverse", "address": address, "found": False, "name": None}
    return {"event": "reverse", "address": address, "found": True, "name": name}


def parse_event(text: str) -> Event:
    """What the strict parser (ipaddress) and the C library's BSD parser (inet_aton) make of `text`."""
    return {
        "event": "parse",
        "input": text,
        "ipaddress": addresses.ipaddress_answer(text),
        "inet_aton": addresses.inet_aton_answer(socket.inet_aton, text),
    }


def order_event(value: int) -> Event:
    return {"event": "order", **addresses.byte_orders(value, socket.htons, socket.htonl)}


def answer_line(label: str, answer: Answer) -> str:
    return f"  {label + ':':<{LABEL_WIDTH}}{addresses.describe(answer)}"


def say_event(output: Output, event: Event) -> None:
    """The readable form of `event`, line for line what the Java twin prints."""
    kind = event["event"]
    if kind == "lookup":
        found = event["addresses"]
        output.say(f"lookup {addresses.quoted(event['name'])}: {len(found)} address(es)")
        for entry in found:
            output.say(f"  {entry['family']} {entry['text']}")
    elif kind == "error":
        output.say(f"lookup {addresses.quoted(event['name'])}: failed: {event['detail']}")
    elif kind == "reverse":
        name = event["name"] if event["found"] else "no name found"
        output.say(f"reverse {event['address']}: {name}")
    elif kind == "parse":
        output.say(f"parse {addresses.quoted(event['input'])}")
        output.say(answer_line("ipaddress.ip_address", event["ipaddress"]))
        output.say(answer_line("socket.inet_aton", event["inet_aton"]))
    else:
        for line in addresses.order_lines(event):
            output.say(line)


def events(command: str, arguments: list[str]) -> list[Event]:
    """One event per argument; raises ValueError for an argument the command cannot take."""
    if command == "lookup":
        return [lookup_event(name) for name in arguments]
    if command == "reverse":
        for address in arguments:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise ValueError(f"reverse needs an address literal, not {address!r}") from None
        return [reverse_event(address) for address in arguments]
    if command == "parse":
        return [parse_event(text) for text in arguments]
    return [order_event(addresses.parse_number(text)) for text in arguments]


def parser(console: Console) -> argparse.ArgumentParser:
    class ConsoleParser(ArgumentParser):
        """Bound to the console, so that the subcommands' parsers (made as `type(top)`) print on it too."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(console, **kwargs)

    common = ConsoleParser(add_help=False)  # only lends its option to the others
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="one JSON event per line")
    top = ConsoleParser(
        prog="python -m crosswire.addr", description=__doc__.splitlines()[0], parents=[common]
    )
    commands = top.add_subparsers(dest="command", required=True)
    helps = {
        "lookup": ("NAME", "addresses of a name (getaddrinfo, IPv4 and IPv6)"),
        "reverse": ("ADDR", "the name of an address (gethostbyaddr)"),
        "parse": ("TEXT", "is TEXT an address literal? (ipaddress, inet_aton)"),
        "order": ("N", "N in host and network byte order (htons, htonl, struct)"),
    }
    for command, (metavar, text) in helps.items():
        sub = commands.add_parser(command, help=text, description=text, parents=[common])
        sub.add_argument("arguments", nargs="+", metavar=metavar)
    return top


def run(argv: list[str], console: Console) -> int:
    top = parser(console)
    args = top.parse_args(argv)
    try:
        found = events(args.command, args.arguments)
    except ValueError as error:
        top.print_usage(console.stderr)
        console.error(f"addr: {error}")
        return 2
    output = Output(getattr(args, "json", False), console.stdout)
    for event in found:
        if output.json_mode:  # not output.event(): its first parameter is called `name`
            fields = {key: value for key, value in event.items() if key != "event"}
            output.line(benchwire.event_line(event["event"], **fields))
        say_event(output, event)
    return 1 if any(event["event"] == "error" for event in found) else 0


main = main_of(run)
