"""Multicast beyond the matrix: the membership request, the group range, MulticastPeers together."""

from __future__ import annotations

import re
import socket
import struct
from pathlib import Path

import pytest

from crosswire.protocol.multicast import NotAGroup, check_group, membership_request
from harness import manifest, sandbox
from harness.drivers import expand, parse_events, peer_environment
from harness.groups import SANDBOX_INTERFACE, allocate_group
from harness.process import PeerProcess, stop_all
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT

needs_sandbox = pytest.mark.skipif(sandbox.multicast_skip_reason() is not None,
                                   reason=sandbox.multicast_skip_reason() or "")
PEERS = [p for p in manifest.load().peers_of("multicast", "sender") if "one-message-per-run" in p.capabilities]


def test_the_membership_request_is_two_ipv4_addresses() -> None:
    request = membership_request("239.1.2.3", "127.0.0.1")
    assert request == bytes([239, 1, 2, 3, 127, 0, 0, 1])
    # The lecture's '4sl' is 16 bytes on 64-bit Linux: right only because the kernel reads 8.
    assert struct.calcsize("4sl") == 16


@pytest.mark.parametrize("group", ["224.0.0.0", "230.255.255.255", "231.0.0.1", "239.255.255.255"])
def test_class_d_reaches_239_not_230(group: str) -> None:
    assert check_group(group) == group


@pytest.mark.parametrize("address", ["223.255.255.255", "240.0.0.0", "127.0.0.1", "not-an-address"])
def test_other_addresses_are_not_groups(address: str) -> None:
    with pytest.raises(NotAGroup):
        check_group(address)


@needs_sandbox
def test_multicast_peers_of_both_languages_all_see_every_message(jar: Path, tmp_path: Path) -> None:
    """Java's MulticastPeer and its Python twin, two of each, in one group: each sees all four messages."""
    group, port = allocate_group()
    chosen = [peer for peer in PEERS for _ in range(2)]
    messages = [f"from {peer.name} #{i} 大家好".encode() for i, peer in enumerate(chosen)]
    processes = []
    try:
        for index, (peer, message) in enumerate(zip(chosen, messages, strict=True)):
            command = expand(peer.command, group=group, port=str(port), iface=SANDBOX_INTERFACE,
                             message=message.hex())
            command[command.index("--count") + 1] = str(len(chosen))
            command += ["--wait-start", "--timeout", str(READY_TIMEOUT)]
            process = PeerProcess(command, tmp_path, f"peer-{index}", env=peer_environment(), interactive=True)
            processes.append(process)
            process.wait_for_line(re.compile(r"READY multicast-peer"), READY_TIMEOUT)
        for process in processes:
            process.send(b"go\n")  # every peer has joined before any sends
        statuses = [process.wait(CLIENT_TIMEOUT) for process in processes]
    finally:
        stop_all(processes)
    assert statuses == [0] * len(chosen)
    for process in processes:
        events, _ = parse_events(process.stdout_lines)
        received = sorted(bytes.fromhex(e["hex"]) for e in events if e["event"] == "recv")
        assert received == sorted(messages), process.name


@needs_sandbox
def test_a_socket_on_the_port_that_did_not_join_receives_nothing() -> None:
    """Membership, not the port, decides who receives (a 'must not arrive' case passes on the timeout)."""
    group, port = allocate_group()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as bystander, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        bystander.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bystander.bind((group, port))
        bystander.settimeout(0.5)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(SANDBOX_INTERFACE))
        sender.sendto(b"members only", (group, port))
        with pytest.raises(TimeoutError):
            bystander.recvfrom(100)
