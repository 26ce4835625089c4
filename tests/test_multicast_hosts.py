"""Multicast across simulated hosts: three namespaces on a bridge (harness/topology.py).

This is what shows multicast working between machines, not only on loopback:
TTL, membership and loss behave here as on a real segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswire.protocol import benchwire
from harness import manifest, topology
from harness.drivers import expand, parse_events, peer_environment
from harness.groups import allocate_group
from harness.process import PeerProcess, stop_all
from harness.runs import Event
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT

pytestmark = pytest.mark.skipif(topology.skip_reason() is not None, reason=topology.skip_reason() or "")

LOADED = manifest.load()
SENDERS = [p for p in LOADED.peers_of("multicast", "sender") if "collects-acks" in p.capabilities]
RECEIVERS = {p.name: p for p in LOADED.peers_of("multicast", "receiver")}
READY = re.compile(r"READY multicast-receiver \S+ iface=(?P<iface>\S+) ack=(?P<ack>\S+)")
ACK_TIMEOUT = "0.5"


@pytest.fixture
def hosts() -> Iterator[topology.Topology]:
    with topology.Topology(3) as built:
        yield built


class Group:
    """Receivers started on chosen hosts, in one group of their own."""

    def __init__(self, log_dir: Path) -> None:
        self.group, self.port = allocate_group()
        self.log_dir = log_dir
        self.receivers: list[PeerProcess] = []
        self.ack_addresses: list[str] = []

    def receiver(self, host: topology.Host, language: str, join: bool = True) -> PeerProcess:
        command = expand(RECEIVERS[language].command, group=self.group, port=str(self.port), iface=host.address)
        process = PeerProcess(host.command(command), self.log_dir, f"receiver-{len(self.receivers)}",
                              env=peer_environment())
        self.receivers.append(process)
        self.ack_addresses.append(process.wait_for_line(READY, READY_TIMEOUT).group("ack"))
        return process

    def send(self, sender: manifest.Peer, host: topology.Host, messages: list[bytes], ttl: int = 1) -> list[Event]:
        command = expand(sender.command, group=self.group, port=str(self.port), iface=host.address,
                         timeout=ACK_TIMEOUT, receivers=str(len(self.receivers))) + ["--ttl", str(ttl)]
        stdin = "".join(benchwire.message_line(m) + "\n" for m in messages).encode()
        process = PeerProcess(host.command(command), self.log_dir, "sender", stdin_data=stdin,
                              env=peer_environment())
        process.wait(CLIENT_TIMEOUT)
        return parse_events(process.stdout_lines)[0]

    def received(self) -> list[list[bytes]]:
        stop_all(self.receivers)
        return [[bytes.fromhex(e["hex"]) for e in parse_events(r.stdout_lines)[0] if e["event"] == "recv"]
                for r in self.receivers]


def acks_by_seq(events: list[Event]) -> dict[int, set[str]]:
    acks: dict[int, set[str]] = {}
    for event in events:
        if event["event"] == "ack":
            acks.setdefault(event["seq"], set()).add(event["peer"])
    return acks


@pytest.mark.parametrize("sender", SENDERS, ids=lambda p: p.label)
def test_a_sender_on_one_host_reaches_receivers_on_the_others(
    sender: manifest.Peer, hosts: topology.Topology, tmp_path: Path, jar: Path
) -> None:
    a, b, c = hosts.hosts
    group = Group(tmp_path)
    for host in (b, c):
        for language in RECEIVERS:
            group.receiver(host, language)
    messages = [b"across the bridge", "大家好".encode(), bytes(range(256)) * 5]
    events = group.send(sender, a, messages)
    assert group.received() == [messages] * len(group.receivers)
    assert acks_by_seq(events) == {seq: set(group.ack_addresses) for seq in range(len(messages))}
    assert {address.split(":")[0] for address in group.ack_addresses} == {b.address, c.address}
    assert {e["iface"] for e in events if e["event"] == "interface"} == {a.address}


def test_ttl_zero_keeps_the_message_on_its_own_host(hosts: topology.Topology, tmp_path: Path, jar: Path) -> None:
    a, b, _ = hosts.hosts
    group = Group(tmp_path)
    group.receiver(a, "python")
    group.receiver(b, "python")
    group.send(SENDERS[0], a, [b"stay home"], ttl=0)
    assert group.received() == [[b"stay home"], []]


BYSTANDER = """
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((GROUP, PORT))
print("bound", flush=True)
s.settimeout(1.0)
try:
    print("GOT", s.recv(100), flush=True)
except TimeoutError:
    print("nothing", flush=True)
"""


def test_membership_is_per_host_not_per_socket(hosts: topology.Topology, tmp_path: Path, jar: Path) -> None:
    """A host where nobody joined gets nothing. On a host where one socket joined, Linux also hands
    the datagram to sockets bound to the group's port that never joined (IP_MULTICAST_ALL is on by default)."""
    a, b, c = hosts.hosts
    group = Group(tmp_path)
    group.receiver(b, "python")
    script = BYSTANDER.replace("GROUP", repr(group.group)).replace("PORT", str(group.port))
    bystanders = [PeerProcess(host.command(["python3", "-c", script]), tmp_path, f"bystander-{host.name}")
                  for host in (b, c)]
    for bystander in bystanders:
        bystander.wait_for_line(re.compile("bound"), READY_TIMEOUT)
    group.send(SENDERS[0], a, [b"members only"])
    for bystander in bystanders:
        bystander.wait(CLIENT_TIMEOUT)
    assert group.received() == [[b"members only"]]
    beside_a_member, alone = (bystander.stdout_lines[-1] for bystander in bystanders)
    assert alone == "nothing"
    assert beside_a_member == "GOT b'members only'"


@pytest.mark.parametrize("sender", SENDERS, ids=lambda p: p.label)
def test_loss_at_one_host_shows_as_exactly_the_missing_acks(
    sender: manifest.Peer, hosts: topology.Topology, tmp_path: Path, jar: Path
) -> None:
    """UDP's failure model applies to multicast: every 2nd datagram dropped at host C by nftables."""
    a, b, c = hosts.hosts
    group = Group(tmp_path)
    group.receiver(b, "python")
    group.receiver(c, "python")
    topology.drop_every_nth_multicast(c, group.group, group.port, 2)
    messages = [f"message {n}".encode() for n in range(6)]
    events = group.send(sender, a, messages)
    at_b, at_c = group.ack_addresses
    acks = acks_by_seq(events)
    assert [sorted(acks.get(seq, set())) for seq in range(6)] == [
        [at_b] if seq % 2 == 0 else sorted([at_b, at_c]) for seq in range(6)
    ]
    received_b, received_c = group.received()
    assert received_b == messages
    assert received_c == messages[1::2]
