"""The subscriber's delivery logic (crosswire.protocol.board_tracker) on events, without sockets or clocks.

Each test is one rule of docs/protocols/board.md ("Sequence numbers, delivery,
repair"); the property at the end throws loss, duplicates, reordering and lost
repairs at it and checks that every message is delivered once, in order.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.protocol.board import Heartbeat, MessageEntry, Messages, Msg
from crosswire.protocol.board_tracker import BoardTracker, FetchRange

TOPIC = "news"
TIMEOUT = 0.5


def msg(seq: int, topic: str = TOPIC) -> Msg:
    return Msg(topic, seq, 1_700_000_000_000 + seq, f"text {seq}")


def reply(*seqs: int, topic: str = TOPIC) -> Messages:
    return Messages(1, topic, tuple(MessageEntry(s, 1_700_000_000_000 + s, f"text {s}") for s in seqs))


def seqs(delivered: list[Msg]) -> list[int]:
    return [m.seq for m in delivered]


def test_messages_in_order_are_delivered_at_once() -> None:
    tracker = BoardTracker(TOPIC)
    assert [seqs(tracker.on_msg(msg(n))) for n in (1, 2, 3)] == [[1], [2], [3]]
    assert tracker.fetches_due(0.0) == []


def test_a_duplicate_is_ignored() -> None:
    tracker = BoardTracker(TOPIC)
    tracker.on_msg(msg(1))
    assert tracker.on_msg(msg(1)) == []
    assert tracker.delivered == 1


def test_a_gap_is_fetched_once_then_again_after_the_repair_timeout() -> None:
    tracker = BoardTracker(TOPIC, repair_timeout=TIMEOUT)
    assert seqs(tracker.on_msg(msg(1))) == [1]
    assert tracker.on_msg(msg(4)) == []
    assert tracker.fetches_due(10.0) == [FetchRange(2, 3)]
    assert tracker.on_msg(msg(5)) == []
    assert tracker.fetches_due(10.1) == []
    assert tracker.next_deadline() == 10.0 + TIMEOUT
    assert tracker.fetches_due(10.0 + TIMEOUT) == [FetchRange(2, 3)]
    assert seqs(tracker.on_messages(FetchRange(2, 3), reply(2, 3))) == [2, 3, 4, 5]
    assert tracker.fetches_due(20.0) == []


def test_reordered_messages_are_buffered_and_delivered_in_order() -> None:
    tracker = BoardTracker(TOPIC)
    assert tracker.on_msg(msg(3)) == []
    assert tracker.fetches_due(0.0) == [FetchRange(1, 2)]
    assert tracker.on_msg(msg(2)) == []
    assert seqs(tracker.on_msg(msg(1))) == [1, 2, 3]
    assert tracker.buffered == 0
    assert tracker.fetches_due(0.1) == []


def test_a_late_repair_after_the_multicast_caught_up_delivers_nothing_twice() -> None:
    tracker = BoardTracker(TOPIC)
    tracker.on_msg(msg(2))
    fetch = tracker.fetches_due(0.0)[0]
    assert seqs(tracker.on_msg(msg(1))) == [1, 2]
    assert tracker.on_messages(fetch, reply(1)) == []


def test_a_heartbeat_reveals_that_the_last_messages_were_lost() -> None:
    tracker = BoardTracker(TOPIC, delivered=5)
    tracker.on_heartbeat(Heartbeat(TOPIC, 7))
    assert tracker.fetches_due(0.0) == [FetchRange(6, 7)]
    assert seqs(tracker.on_messages(FetchRange(6, 7), reply(6, 7))) == [6, 7]


def test_a_heartbeat_of_nothing_new_asks_for_nothing() -> None:
    tracker = BoardTracker(TOPIC, delivered=5)
    tracker.on_heartbeat(Heartbeat(TOPIC, 5))
    tracker.on_heartbeat(Heartbeat(TOPIC, 2))
    assert tracker.fetches_due(0.0) == []


def test_several_gaps_are_fetched_as_separate_ranges() -> None:
    tracker = BoardTracker(TOPIC)
    for n in (2, 5, 6, 9):
        tracker.on_msg(msg(n))
    tracker.on_heartbeat(Heartbeat(TOPIC, 10))
    assert tracker.fetches_due(0.0) == [FetchRange(1, 1), FetchRange(3, 4), FetchRange(7, 8), FetchRange(10, 10)]


def test_a_new_gap_while_one_is_being_repaired_fetches_only_the_new_part() -> None:
    tracker = BoardTracker(TOPIC)
    tracker.on_msg(msg(3))
    assert tracker.fetches_due(0.0) == [FetchRange(1, 2)]
    tracker.on_heartbeat(Heartbeat(TOPIC, 6))
    assert tracker.fetches_due(0.1) == [FetchRange(4, 6)]


def test_joining_late_with_since_fetches_the_history_from_there() -> None:
    """--since 4 on a board at #10: delivered = 3, and the LOOKUP's last_seq makes 4..10 missing."""
    tracker = BoardTracker(TOPIC, delivered=4 - 1)
    tracker.learn_latest(10)
    assert tracker.fetches_due(0.0) == [FetchRange(4, 10)]
    assert tracker.on_msg(msg(11)) == []  # live traffic during the fetch waits its turn
    assert tracker.fetches_due(0.1) == []
    assert seqs(tracker.on_messages(FetchRange(4, 10), reply(*range(4, 11)))) == list(range(4, 12))


def test_joining_without_since_starts_at_the_latest() -> None:
    tracker = BoardTracker(TOPIC, delivered=10)
    tracker.learn_latest(10)
    assert tracker.fetches_due(0.0) == []
    assert seqs(tracker.on_msg(msg(11))) == [11]


def test_a_reply_cut_short_by_the_server_asks_for_the_rest_at_once() -> None:
    tracker = BoardTracker(TOPIC)
    tracker.learn_latest(2500)
    first = tracker.fetches_due(0.0)
    assert first == [FetchRange(1, 2500)]
    assert len(tracker.on_messages(first[0], reply(*range(1, 1001)))) == 1000
    assert tracker.fetches_due(0.01) == [FetchRange(1001, 2500)]


def test_an_empty_reply_is_not_asked_again_before_the_repair_timeout() -> None:
    tracker = BoardTracker(TOPIC, repair_timeout=TIMEOUT)
    tracker.learn_latest(3)
    fetch = tracker.fetches_due(0.0)[0]
    assert tracker.on_messages(fetch, reply()) == []
    assert tracker.fetches_due(0.1) == []
    assert tracker.fetches_due(TIMEOUT) == [FetchRange(1, 3)]


def test_another_boards_traffic_is_ignored() -> None:
    tracker = BoardTracker(TOPIC)
    assert tracker.on_msg(msg(1, topic="sports")) == []
    tracker.on_heartbeat(Heartbeat("sports", 9))
    assert tracker.on_messages(FetchRange(1, 1), reply(1, topic="sports")) == []
    assert tracker.fetches_due(0.0) == []
    assert tracker.delivered == 0


@settings(max_examples=200, deadline=None)
@given(
    count=st.integers(1, 60),
    seed=st.integers(0, 2**32),
    loss=st.floats(0.0, 0.6),
    since=st.one_of(st.none(), st.integers(0, 70)),
)
def test_whatever_is_lost_duplicated_or_reordered_each_message_is_delivered_once_in_order(
    count: int, seed: int, loss: float, since: int | None
) -> None:
    """A board of `count` messages, `half` of them posted before the subscriber joins; the network loses,
    duplicates and reorders datagrams and also loses repair replies; heartbeats keep coming."""
    rng = random.Random(seed)
    half = count // 2
    start = half if since is None else max(since - 1, 0)
    tracker = BoardTracker(TOPIC, delivered=start, repair_timeout=TIMEOUT)
    tracker.learn_latest(half)  # the LOOKUP's reply
    live = [msg(n) for n in range(half + 1, count + 1)]
    arrivals = [m for m in live for _ in range(rng.choice((0, 1, 1, 2))) if rng.random() >= loss]
    rng.shuffle(arrivals)
    delivered: list[Msg] = []
    now = 0.0
    published = half
    settled = False
    for _ in range(10_000):
        now += 0.1
        if arrivals and rng.random() < 0.7:
            datagram = arrivals.pop()
            delivered += tracker.on_msg(datagram)
        elif published < count and rng.random() < 0.5:
            published += 1  # a post whose MSG was (or will be) sent; the heartbeat tells of it
        if rng.random() < 0.2 or not arrivals:
            tracker.on_heartbeat(Heartbeat(TOPIC, published if arrivals else count))
        for fetch in tracker.fetches_due(now):
            if rng.random() < loss:
                continue  # the reply never comes
            served = range(fetch.from_seq, min(fetch.to_seq, count) + 1)
            delivered += tracker.on_messages(fetch, reply(*list(served)[:7]))  # a small server limit
        if tracker.delivered >= count and not arrivals:
            settled = True
            break
    assert settled
    assert seqs(delivered) == list(range(start + 1, count + 1))
