"""The multicast conformance check: one sender, a group of receivers, every message to each.

A cell is a sender (or a MulticastPeer acting as one) against a mix of
receivers in one group of its own. Every receiver must get every message
exactly once, byte for byte; a sender that collects acks must get exactly one
from each receiver for each message; every peer must report the sandbox's
interface, so no test datagram ever takes the machine's default route.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from crosswire.protocol import benchwire
from harness import sandbox
from harness.drivers import Launcher, RunningPeer, parse_events
from harness.groups import SANDBOX_INTERFACE, allocate_group
from harness.manifest import Cell, Peer, Vector
from harness.process import PeerProcessError, stop_all
from harness.runs import ClientRun
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT, REPLY_TIMEOUT

RECV_EVENT = re.compile(r'"event": ?"recv"')
RECEIVER_READY = re.compile(r"READY multicast-receiver \S+ iface=(?P<iface>\S+) ack=(?P<ack>\S+)")


class Skip(Exception):
    """The cell cannot run here: no network namespace to keep multicast in."""


def describe(data: bytes) -> str:
    return f"{len(data)} bytes ({data[:12].hex()}{'…' if len(data) > 12 else ''})"


def group_values(group: str, port: int, **values: str) -> dict[str, str]:
    return {"group": group, "port": str(port), "iface": SANDBOX_INTERFACE, **values}


def run_sender(driver: Launcher, peer: Peer, group: str, port: int, messages: list[bytes], receivers: int,
               log_dir: Path) -> ClientRun:
    """A sender gets every message on stdin; a MulticastPeer is run once per message."""
    if "one-message-per-run" in peer.capabilities:
        runs = []
        for seq, message in enumerate(messages):
            values = group_values(group, port, message=benchwire.message_line(message))
            process = driver.launch(peer, log_dir, f"sender-{seq}", values)
            process.wait(CLIENT_TIMEOUT)
            runs.append(process)
        events = [e for run in runs for e in parse_events(run.stdout_lines)[0]]
        statuses = {run.returncode for run in runs}
        status = max(s if s is not None else 1 for s in statuses) if statuses else 0
        return ClientRun(events, status, sum(r.seconds for r in runs), runs[0].command)
    stdin = "".join(benchwire.message_line(m) + "\n" for m in messages).encode()
    process = driver.launch(peer, log_dir, "sender", group_values(group, port, receivers=str(receivers)),
                            stdin_data=stdin)
    status = process.wait(CLIENT_TIMEOUT)
    events, problems = parse_events(process.stdout_lines)
    return ClientRun(events, status, process.seconds, process.command, problems)


def run_cell(cell: Cell, vectors: list[Vector], log_dir: Path, driver: Launcher) -> tuple[list[str], list[float]]:
    reason = sandbox.multicast_skip_reason()
    if reason:
        raise Skip(reason)
    group, port = allocate_group()
    receivers: list[RunningPeer] = []
    acks_from: dict[str, str] = {}
    problems: list[str] = []
    try:
        for index, peer in enumerate(cell.receivers):
            name = f"receiver {index} ({peer.name})"
            process = driver.launch(peer, log_dir, f"receiver-{index}-{peer.name}", group_values(group, port))
            receivers.append(process)
            ready = process.wait_for_line(RECEIVER_READY, READY_TIMEOUT)
            acks_from[ready.group("ack")] = name
            if ready.group("iface") != SANDBOX_INTERFACE:
                problems.append(f"{name} joined on {ready.group('iface')}, not the sandbox's {SANDBOX_INTERFACE}")
        sender = run_sender(driver, cell.client, group, port, [v.payload for v in vectors], len(receivers), log_dir)
        for receiver in receivers:
            wait_for_receipts(receiver, len(vectors), REPLY_TIMEOUT)
    finally:
        stop_all(receivers)
    expected = [v.payload for v in vectors]
    for process, name in zip(receivers, acks_from.values(), strict=True):
        events, parse_problems = parse_events(process.stdout_lines)
        problems += [f"{name}: {p}" for p in parse_problems]
        got = [bytes.fromhex(e["hex"]) for e in events if e.get("event") == "recv"]
        if got != expected:
            problems.append(f"{name} received {[describe(g) for g in got]}, expected {[describe(e) for e in expected]}")
    problems += check_sender(cell.client, sender, vectors, acks_from)
    rtts = [float(e["rtt_ms"]) for e in sender.events if e.get("event") == "acks" and "rtt_ms" in e]
    return problems, rtts


def wait_for_receipts(receiver: RunningPeer, count: int, timeout: float) -> None:
    """Wait, at most `timeout`, until `receiver` reported `count` datagrams.

    A sender that collects no acks may end while its last datagrams are still
    on their way; stopping the receivers then would lose them. Whatever is
    still missing after the timeout is the check's to report.
    """
    deadline = time.monotonic() + timeout
    while True:
        seen = len(receiver.stdout_lines)
        if sum(RECV_EVENT.search(line) is not None for line in receiver.stdout_lines[:seen]) >= count:
            return
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        try:
            receiver.wait_for_line(RECV_EVENT, remaining, start=seen)
        except PeerProcessError:
            return


def check_sender(peer: Peer, sender: ClientRun, vectors: list[Vector], acks_from: dict[str, str]) -> list[str]:
    problems = list(sender.problems)
    interfaces = {e.get("iface") for e in sender.events if e.get("event") == "interface"}
    if interfaces != {SANDBOX_INTERFACE}:
        problems.append(f"sender's multicast interface was {sorted(map(str, interfaces)) or 'never reported'}, "
                        f"not {SANDBOX_INTERFACE}")
    if "collects-acks" not in peer.capabilities:
        return problems
    for seq, vector in enumerate(vectors):
        peers = [str(e["peer"]) for e in sender.events if e.get("event") == "ack" and e.get("seq") == seq]
        missing = sorted(set(acks_from) - set(peers))
        if missing:
            problems.append(f"message {vector.name!r}: no ack from {', '.join(acks_from[m] for m in missing)}")
        doubled = sorted({p for p in peers if peers.count(p) > 1})
        strangers = sorted(set(peers) - set(acks_from))
        if doubled or strangers:
            problems.append(f"message {vector.name!r}: acks doubled {doubled} or from strangers {strangers}")
    if sender.exit_status != 0:
        problems.append(f"sender exited with status {sender.exit_status}")
    return problems


__all__ = ["REPLY_TIMEOUT", "Skip", "run_cell"]
