"""tcp-utf clients: the lecture's one connection per message, or --persistent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswire.protocol import benchwire
from harness import manifest
from harness.drivers import expand, parse_events, peer_environment
from harness.process import PeerProcess
from harness.reference.tcp_utf import ReferenceServer
from harness.timeouts import CLIENT_TIMEOUT

PEERS = manifest.load()
CLIENTS = [p for p in PEERS.peers_of("tcp-utf", "client") if not p.builtin]
TEXTS = ["Mon", "大家好", "😀", ""]


@pytest.fixture
def reference_server(tmp_path: Path) -> Iterator[ReferenceServer]:
    server = ReferenceServer("127.0.0.1", tmp_path)
    try:
        yield server
    finally:
        server.stop()


def run_client(client: manifest.Peer, server: ReferenceServer, persistent: bool, tmp_path: Path) -> list[str]:
    command = expand(client.command, host="127.0.0.1", port=str(server.address[1]))
    if not persistent:
        command.remove("--persistent")
    stdin = "".join(benchwire.utf16_units(t).hex() + "\n" for t in TEXTS).encode()
    process = PeerProcess(command, tmp_path, "client", stdin_data=stdin, env=peer_environment())
    assert process.wait(CLIENT_TIMEOUT) == 0
    events, problems = parse_events(process.stdout_lines)
    assert problems == []
    replies = [benchwire.text_of_utf16_units(bytes.fromhex(e["hex"])) for e in events if e["event"] == "reply"]
    assert replies == TEXTS
    server.stop()
    return [str(e["peer"]) for e in server.events if e["event"] == "recv"]


@pytest.mark.parametrize("client", CLIENTS, ids=lambda p: p.label)
def test_by_default_each_message_has_its_own_connection(
    client: manifest.Peer, reference_server: ReferenceServer, tmp_path: Path, jar: Path
) -> None:
    peers = run_client(client, reference_server, persistent=False, tmp_path=tmp_path)
    assert len(peers) == len(TEXTS) and len(set(peers)) == len(TEXTS)


@pytest.mark.parametrize("client", CLIENTS, ids=lambda p: p.label)
def test_persistent_sends_every_message_over_one_connection(
    client: manifest.Peer, reference_server: ReferenceServer, tmp_path: Path, jar: Path
) -> None:
    peers = run_client(client, reference_server, persistent=True, tmp_path=tmp_path)
    assert len(peers) == len(TEXTS) and len(set(peers)) == 1
