"""Simulated hosts: network namespaces on a bridge, inside the sandbox.

Each host is a network namespace with its own address on a veth link to a
bridge in the sandbox's namespace, so multicast between hosts really crosses
interfaces (and TTL, membership and loss behave as between machines). The
addresses come from 198.18.0.0/15, the block reserved for benchmarking
network devices (RFC 2544); they exist only inside this session's sandbox.
Everything is removed on `close()`, and with the sandbox at the latest.
"""

from __future__ import annotations

import itertools
import secrets
import shutil
import subprocess
from dataclasses import dataclass

from harness import sandbox

SUBNET_PREFIX = "198.18"
NAME_PREFIX = "cw"  # every namespace, bridge and veth this module makes is named cw…
COMMAND_TIMEOUT = 10.0
_numbers = itertools.count(1)


class TopologyError(RuntimeError):
    """The simulated hosts could not be built (the message says which command failed)."""


def run(*command: str) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    if result.returncode != 0:
        raise TopologyError(f"`{' '.join(command)}` failed: {result.stderr.strip()}")
    return result.stdout


def skip_reason() -> str | None:
    """Why simulated hosts cannot be made here, or None."""
    if sandbox.mode() != "netns":
        return f"simulated hosts are only built inside the sandbox ({sandbox.describe()})"
    if shutil.which("ip") is None:
        return "`ip` (iproute2) is missing"
    return None


@dataclass
class Host:
    name: str  # the network namespace
    address: str
    interface: str = "eth0"

    def command(self, argv: list[str]) -> list[str]:
        """`argv` run on this host."""
        return ["ip", "netns", "exec", self.name, *argv]

    def run(self, *argv: str) -> str:
        return run(*self.command(list(argv)))


class Topology:
    """`count` hosts on one bridge: hosts[0] is 198.18.N.1, hosts[1] .2, and so on."""

    def __init__(self, count: int = 3) -> None:
        number = next(_numbers)
        # /run/netns is shared by every sandbox on the machine (and our pid is 1 in each of
        # them), so names carry random bits: two sessions at once must not collide.
        tag = f"{secrets.token_hex(2)}x{number}"
        self.bridge = f"{NAME_PREFIX}br{tag}"[:15]
        self.hosts: list[Host] = []
        subnet = f"{SUBNET_PREFIX}.{number % 250}"
        try:
            run("ip", "link", "add", self.bridge, "type", "bridge", "mcast_snooping", "0")
            run("ip", "link", "set", self.bridge, "up")
            for index in range(count):
                host = Host(f"{NAME_PREFIX}{tag}h{index}", f"{subnet}.{index + 1}")
                outside = f"{NAME_PREFIX}{tag}v{index}"[:15]
                run("ip", "netns", "add", host.name)
                self.hosts.append(host)
                run("ip", "link", "add", outside, "type", "veth", "peer", "name", host.interface,
                    "netns", host.name)
                run("ip", "link", "set", outside, "master", self.bridge, "up")
                host.run("ip", "link", "set", "lo", "up")
                host.run("ip", "addr", "add", f"{host.address}/24", "dev", host.interface)
                host.run("ip", "link", "set", host.interface, "up", "multicast", "on")
                host.run("ip", "route", "add", "224.0.0.0/4", "dev", host.interface)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        for host in self.hosts:
            subprocess.run(["ip", "netns", "del", host.name], capture_output=True, timeout=COMMAND_TIMEOUT)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True, timeout=COMMAND_TIMEOUT)
        self.hosts = []

    def __enter__(self) -> Topology:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def drop_every_nth_multicast(host: Host, group: str, port: int, nth: int) -> None:
    """A kernel-level loss rule on `host`: nftables drops the 1st, (n+1)th, ... datagram to group:port."""
    rules = (
        "table inet crosswire_loss {\n"
        "  chain input {\n"
        "    type filter hook input priority 0; policy accept;\n"
        f"    ip daddr {group} udp dport {port} numgen inc mod {nth} 0 counter drop\n"
        "  }\n"
        "}\n"
    )
    result = subprocess.run(host.command(["nft", "-f", "-"]), input=rules, capture_output=True, text=True,
                            timeout=COMMAND_TIMEOUT)
    if result.returncode != 0:
        raise TopologyError(f"nft on {host.name} failed: {result.stderr.strip()}")
