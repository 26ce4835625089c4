"""The echo conformance check (udp-echo, tcp-utf, ...): every vector echoed exactly.

A message is bytes: a datagram's payload, or for string protocols the
string's UTF-16 code units (docs/bench-protocol.md). The client sends every
vector; the check then asks three things:
- the client reported, for each vector in order, exactly one outcome: a
  `reply` with the same bytes (or, for a vector it must refuse, an `error`);
- the server saw each sent vector, in order, byte for byte (a datagram seen
  twice is only allowed where the client says it resent after a timeout);
- the client's exit status agrees with its outcomes.
"""

from __future__ import annotations

from harness.drivers import ClientRun, Event, ServerRun
from harness.manifest import Vector


def describe(data: bytes) -> str:
    head = data[:16].hex()
    return f"{len(data)} bytes ({head}{'…' if len(data) > 16 else ''})"


def outcomes_by_seq(events: list[Event]) -> dict[int, list[Event]]:
    outcomes: dict[int, list[Event]] = {}
    for event in events:
        if event.get("event") in ("reply", "timeout", "error") and isinstance(event.get("seq"), int):
            outcomes.setdefault(event["seq"], []).append(event)
    return outcomes


def check_client(vectors: list[Vector], client: ClientRun) -> list[str]:
    problems = list(client.problems)
    outcomes = outcomes_by_seq(client.events)
    for seq, vector in enumerate(vectors):
        got = outcomes.get(seq, [])
        if len(got) != 1:
            problems.append(f"vector {vector.name!r}: expected one outcome, client reported {len(got)}")
            continue
        outcome = got[0]
        if vector.expect == "refused":
            if outcome["event"] != "error":
                problems.append(
                    f"vector {vector.name!r} ({len(vector.payload)} bytes) must be refused by the "
                    f"client, but it reported {outcome['event']!r}"
                )
        elif outcome["event"] != "reply":
            detail = outcome.get("detail") or f"after {outcome.get('attempts')} attempts"
            problems.append(f"vector {vector.name!r}: {outcome['event']} ({detail})")
        else:
            reply = bytes.fromhex(outcome.get("hex", ""))
            if reply != vector.expected_reply:
                problems.append(
                    f"vector {vector.name!r}: expected reply {describe(vector.expected_reply)}, "
                    f"got {describe(reply)}"
                )
    extra = sorted(set(outcomes) - set(range(len(vectors))))
    if extra:
        problems.append(f"client reported outcomes for messages it was never given: {extra}")
    return problems


def check_server(vectors: list[Vector], client: ClientRun, server: ServerRun, view: str = "messages") -> list[str]:
    """What the server says it received must be what was sent.

    `view` "messages": one `recv` event per message, in order. "stream": `recv`
    events are chunks as the server read them, so only their concatenation is
    compared. "none": the server reports nothing (a third-party program).
    """
    problems = list(server.problems)
    problems += [f"server reported an error: {e.get('detail')}" for e in server.events if e.get("event") == "error"]
    if view == "none":
        return problems
    sent = [(seq, v) for seq, v in enumerate(vectors) if v.expect != "refused"]
    seen = [bytes.fromhex(e.get("hex", "")) for e in server.events if e.get("event") == "recv"]
    if view == "stream":
        expected_stream = b"".join(v.payload for _, v in sent)
        if b"".join(seen) != expected_stream:
            problems.append(
                f"server's stream ({describe(b''.join(seen))}) is not what was sent ({describe(expected_stream)})"
            )
        return problems
    resent = {e["seq"] for e in client.events if e.get("event") == "reply" and e.get("attempts", 1) > 1}
    position = 0
    for seq, vector in sent:
        if position >= len(seen):
            problems.append(f"server never saw vector {vector.name!r}")
            return problems
        if seen[position] != vector.payload:
            problems.append(
                f"server saw {describe(seen[position])} where vector {vector.name!r} "
                f"({describe(vector.payload)}) was sent"
            )
            return problems
        position += 1
        while seq in resent and position < len(seen) and seen[position] == vector.payload:
            position += 1  # a resend after a timeout, announced by the client
    if position < len(seen):
        problems.append(f"server saw {len(seen) - position} message(s) nobody sent, first {describe(seen[position])}")
    return problems


def check_exit(client: ClientRun, vectors: list[Vector]) -> list[str]:
    should_fail = any(v.expect == "refused" for v in vectors)
    outcomes = [e for e in client.events if e.get("event") in ("timeout", "error")]
    expected_status = 1 if (should_fail or outcomes) else 0
    if client.exit_status != expected_status:
        return [f"client exited with status {client.exit_status}, expected {expected_status}"]
    return []


def check(vectors: list[Vector], client: ClientRun, server: ServerRun, server_view: str = "messages") -> list[str]:
    """Every problem with the cell, most telling first; empty when it passes."""
    return (
        check_client(vectors, client)
        + check_server(vectors, client, server, server_view)
        + check_exit(client, vectors)
    )


def round_trip_times(client: ClientRun) -> list[float]:
    return [float(e["rtt_ms"]) for e in client.events if e.get("event") == "reply" and "rtt_ms" in e]
