"""A subscriber's delivery logic (docs/protocols/board.md, "Sequence numbers, delivery, repair"), without I/O.

Feed it what arrives (MSG and HEARTBEAT datagrams, MESSAGES replies, the
LOOKUP's last_seq); it hands back the messages to deliver, in sequence order,
each exactly once, and `fetches_due(now)` says which ranges to FETCH: a new
gap at once, a gap still missing `repair_timeout` seconds after its FETCH
again. Time is a number the caller passes in, so tests need no clock.

Twin of java/src/crosswire/board/BoardTracker.java.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.protocol.board import Heartbeat, Messages, Msg


@dataclass(frozen=True)
class FetchRange:
    """Sequence numbers from_seq..to_seq, both inclusive, to ask the server for."""

    from_seq: int
    to_seq: int


@dataclass
class _Request:
    wanted: FetchRange
    sent_at: float


def _subtract(ranges: list[FetchRange], covered: list[FetchRange]) -> list[FetchRange]:
    """The parts of `ranges` (sorted, disjoint) that no range of `covered` includes."""
    covered = sorted(covered, key=lambda r: r.from_seq)
    left: list[FetchRange] = []
    for wanted in ranges:
        cursor = wanted.from_seq
        for cover in covered:
            if cover.to_seq < cursor or cover.from_seq > wanted.to_seq:
                continue
            if cover.from_seq > cursor:
                left.append(FetchRange(cursor, cover.from_seq - 1))
            cursor = max(cursor, cover.to_seq + 1)
            if cursor > wanted.to_seq:
                break
        if cursor <= wanted.to_seq:
            left.append(FetchRange(cursor, wanted.to_seq))
    return left


class BoardTracker:
    """Delivery state of one board at one subscriber.

    `delivered` is the last sequence number delivered (0 at first; N - 1 for
    `--since N`; the board's last_seq for only new messages); `latest` the
    highest one known to exist. Everything in between that has not arrived is
    missing, and is fetched.
    """

    def __init__(self, topic: str, delivered: int = 0, repair_timeout: float = 0.5) -> None:
        self.topic = topic
        self.delivered = delivered
        self.latest = delivered
        self.repair_timeout = repair_timeout
        self._buffer: dict[int, Msg] = {}
        self._requests: list[_Request] = []

    def learn_latest(self, last_seq: int) -> None:
        """Messages up to `last_seq` exist (from a LOOKUP's BOARD reply, or a HEARTBEAT)."""
        self.latest = max(self.latest, last_seq)

    def on_heartbeat(self, heartbeat: Heartbeat) -> None:
        if heartbeat.topic == self.topic:
            self.learn_latest(heartbeat.last_seq)

    def on_msg(self, msg: Msg) -> list[Msg]:
        """The messages now deliverable, in order: `msg` and its buffered successors, or none."""
        if msg.topic != self.topic:
            return []
        self._accept(msg)
        return self._deliverable()

    def on_messages(self, fetch: FetchRange, reply: Messages) -> list[Msg]:
        """The reply to the FETCH of `fetch`: its messages are delivered like MSGs.

        A reply with messages settles its request (a reply cut short at the
        1,000-message or size limit leaves the rest missing, so it is due again
        at once); an empty one leaves it to time out, so a server that cannot
        answer is not asked again in a tight loop.
        """
        if reply.topic != self.topic:
            return []
        if reply.messages:
            for index, request in enumerate(self._requests):
                if request.wanted == fetch:
                    del self._requests[index]
                    break
        for entry in reply.messages:
            self._accept(Msg(reply.topic, entry.seq, entry.time_ms, entry.text))
        return self._deliverable()

    def _accept(self, msg: Msg) -> None:
        self.learn_latest(msg.seq)
        if msg.seq > self.delivered and msg.seq not in self._buffer:
            self._buffer[msg.seq] = msg

    def _deliverable(self) -> list[Msg]:
        ready = []
        while (following := self._buffer.pop(self.delivered + 1, None)) is not None:
            ready.append(following)
            self.delivered += 1
        return ready

    @property
    def missing(self) -> list[FetchRange]:
        """Every range of sequence numbers known to exist and neither delivered nor buffered."""
        ranges = []
        start = self.delivered + 1
        for seq in sorted(self._buffer):
            if seq > start:
                ranges.append(FetchRange(start, seq - 1))
            start = seq + 1
        if start <= self.latest:
            ranges.append(FetchRange(start, self.latest))
        return ranges

    def fetches_due(self, now: float) -> list[FetchRange]:
        """The ranges to FETCH now; each is then counted as asked for at `now`."""
        self._requests = [
            r for r in self._requests if r.sent_at + self.repair_timeout > now and r.wanted.to_seq > self.delivered
        ]
        due = _subtract(self.missing, [r.wanted for r in self._requests])
        self._requests.extend(_Request(wanted, now) for wanted in due)
        return due

    def next_deadline(self) -> float | None:
        """When the earliest FETCH still outstanding times out (call `fetches_due` then), or None."""
        return min((r.sent_at + self.repair_timeout for r in self._requests), default=None)

    @property
    def buffered(self) -> int:
        return len(self._buffer)
