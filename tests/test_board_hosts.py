"""The message board across simulated hosts (harness/topology.py), with real loss on one of them.

Server and publisher on host A, subscribers on B and C; at C, nftables drops
every tenth datagram to the board's group (MSGs and HEARTBEATs alike). Every
subscriber must still deliver every message once, in order: what C misses it
repairs over TCP, from the gaps it sees and from the heartbeats.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import topology
from harness.timeouts import CLIENT_TIMEOUT
from tests.test_board_programs import LANGUAGES, BoardBench, delivered, events

pytestmark = pytest.mark.skipif(topology.skip_reason() is not None, reason=topology.skip_reason() or "")

POSTS = 1000


@pytest.fixture
def hosts() -> Iterator[topology.Topology]:
    with topology.Topology(3) as built:
        yield built


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_with_every_tenth_datagram_dropped_at_one_host_both_subscribers_deliver_all_1000_in_order(
    hosts: topology.Topology, tmp_path: Path, language: str, jar: Path
) -> None:
    a, b, c = hosts.hosts
    bench = BoardBench(tmp_path, boards=1, on=a.command, iface=a.address, language=language)
    try:
        bench.server()
        token = bench.create("lossy")
        topology.drop_every_nth_multicast(c, bench.group_base, bench.port_base, 10)
        at_b = bench.subscriber("lossy", count=POSTS, on=b.command, iface=b.address, name="at-b")
        at_c = bench.subscriber("lossy", count=POSTS, on=c.command, iface=c.address, name="at-c")
        texts = [f"message {n} of {POSTS}" for n in range(1, POSTS + 1)]
        status, posted = bench.publish("post", "lossy", "--token", token, texts=texts)
        assert status == 0
        assert [e["seq"] for e in posted] == list(range(1, POSTS + 1))
        assert [at_b.wait(CLIENT_TIMEOUT), at_c.wait(CLIENT_TIMEOUT)] == [0, 0]
        for subscriber in (at_b, at_c):
            assert delivered(subscriber) == [("lossy", n, text) for n, text in enumerate(texts, start=1)]
        repaired = sum(e["to"] - e["from"] + 1 for e in events(at_c) if e["event"] == "repair")
        # About a tenth of the MSGs were lost at C (the rule counts heartbeats too, so not exactly 100).
        assert repaired >= POSTS // 20
    finally:
        bench.close()


def drop_every_msg_datagram(host: topology.Host, group: str, port: int) -> None:
    """nftables on `host` drops every MSG datagram (bytes 01 10 after the UDP header) to group:port."""
    rules = (
        "table inet crosswire_board_loss {\n"
        "  chain input {\n"
        "    type filter hook input priority 0; policy accept;\n"
        f"    ip daddr {group} udp dport {port} @th,64,16 0x0110 counter drop\n"
        "  }\n"
        "}\n"
    )
    result = subprocess.run(host.command(["nft", "-f", "-"]), input=rules, capture_output=True, text=True,
                            timeout=topology.COMMAND_TIMEOUT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_subscriber_that_hears_only_heartbeats_still_delivers_everything(
    hosts: topology.Topology, tmp_path: Path, language: str, jar: Path
) -> None:
    """Every MSG is lost at C, HEARTBEATs get through: C learns of each post from a heartbeat and fetches it."""
    a, _, c = hosts.hosts
    bench = BoardBench(tmp_path, boards=1, on=a.command, iface=a.address, language=language)
    try:
        bench.server()
        token = bench.create("quiet")
        drop_every_msg_datagram(c, bench.group_base, bench.port_base)
        at_c = bench.subscriber("quiet", count=20, on=c.command, iface=c.address, name="at-c")
        texts = [f"heard of only by heartbeat {n}" for n in range(1, 21)]
        for half in (texts[:10], texts[10:]):
            assert bench.publish("post", "quiet", "--token", token, texts=half)[0] == 0
        assert at_c.wait(CLIENT_TIMEOUT) == 0
        assert delivered(at_c) == [("quiet", n, text) for n, text in enumerate(texts, start=1)]
        assert {e["event"] for e in events(at_c)} == {"deliver", "repair"}
        dropped = c.run("nft", "list", "table", "inet", "crosswire_board_loss")
        assert "packets 20 " in dropped
    finally:
        bench.close()
