"""The message board conformance check: a server, a publisher, four subscribers on two boards.

A cell is a server language × a publisher language. The publisher creates
two boards; a Python and a Java subscriber join each; the publisher posts the
vectors to the first board and the same vectors reversed to the second. Each
subscriber must deliver exactly its own board's messages, numbered 1…N, in
order, exactly once, byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

from crosswire.protocol import benchwire
from harness import sandbox
from harness.drivers import Launcher, RunningPeer, parse_events
from harness.groups import SANDBOX_INTERFACE, allocate_group
from harness.manifest import Cell, Manifest, Peer, Vector
from harness.manifest import load as load_manifest
from harness.process import stop_all
from harness.runs import Event
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT

SERVER_READY = re.compile(r"READY board (?P<host>\S+):(?P<port>\d+)")
SUBSCRIBER_READY = re.compile(r"READY board-subscriber")
TOPICS = ("alpha", "beta")


class Skip(Exception):
    """The cell cannot run here: no network namespace to keep multicast in."""


def subscribers(manifest: Manifest) -> list[Peer]:
    return manifest.peers_of("board", "subscriber")


def run_publisher(driver: Launcher, peer: Peer, address: tuple[str, int], args: list[str], log_dir: Path, name: str,
                  texts: list[bytes] | None = None) -> list[Event]:
    stdin = "".join(benchwire.message_line(t) + "\n" for t in texts).encode() if texts is not None else None
    process = driver.launch(peer, log_dir, name, {"host": address[0], "port": str(address[1])}, stdin_data=stdin,
                            extra_args=args)
    process.wait(CLIENT_TIMEOUT)
    events, _ = parse_events(process.stdout_lines)
    return events


def run_cell(cell: Cell, vectors: list[Vector], log_dir: Path, driver: Launcher) -> tuple[list[str], list[float]]:
    reason = sandbox.multicast_skip_reason()
    if reason:
        raise Skip(reason)
    group, board_port = allocate_group(len(TOPICS))
    server = driver.launch(cell.server, log_dir, "server", {
        "host": "127.0.0.1", "port": "0", "store": str(log_dir / "store"), "group": group,
        "board_port": str(board_port), "iface": SANDBOX_INTERFACE,
    })
    listeners: list[RunningPeer] = []
    problems: list[str] = []
    texts = [v.payload for v in vectors]
    expected = {TOPICS[0]: texts, TOPICS[1]: texts[::-1]}
    try:
        ready = server.wait_for_line(SERVER_READY, READY_TIMEOUT)
        address = (ready.group("host"), int(ready.group("port")))
        tokens = {}
        for topic in TOPICS:
            created = [e for e in run_publisher(driver, cell.client, address, ["create", topic], log_dir,
                                                 f"create-{topic}")
                       if e.get("event") == "created"]
            if not created:
                return [f"publisher could not create board {topic!r}"], []
            tokens[topic] = str(created[0]["token"])
        for topic in TOPICS:
            for peer in subscribers(load_manifest()):
                listener = driver.launch(peer, log_dir, f"subscriber-{topic}-{peer.name}", {
                    "host": address[0], "port": str(address[1]), "topic": topic, "iface": SANDBOX_INTERFACE,
                    "count": str(len(texts)), "timeout": str(CLIENT_TIMEOUT / 2),
                })
                listeners.append(listener)
                listener.wait_for_line(SUBSCRIBER_READY, READY_TIMEOUT)
        for topic in TOPICS:
            events = run_publisher(driver, cell.client, address, ["post", topic, "--token", tokens[topic]], log_dir,
                                   f"post-{topic}", expected[topic])
            seqs = [e.get("seq") for e in events if e.get("event") == "posted"]
            if seqs != list(range(1, len(texts) + 1)):
                problems.append(f"board {topic}: publisher saw seq {seqs}, expected 1..{len(texts)}")
        for listener in listeners:
            listener.wait(CLIENT_TIMEOUT)
    finally:
        stop_all([*listeners, server])
    for listener in listeners:
        topic = listener.name.split("-")[1]
        events, parse_problems = parse_events(listener.stdout_lines)
        problems += [f"{listener.name}: {p}" for p in parse_problems]
        delivered = [(e.get("topic"), e.get("seq"), bytes.fromhex(str(e.get("hex", ""))))
                     for e in events if e.get("event") == "deliver"]
        want = [(topic, seq, text) for seq, text in enumerate(expected[topic], start=1)]
        if delivered != want:
            problems.append(f"{listener.name} delivered {[(t, s, len(b)) for t, s, b in delivered]}, "
                            f"expected {[(t, s, len(b)) for t, s, b in want]}")
    return problems, []
