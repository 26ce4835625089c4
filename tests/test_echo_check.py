"""The udp-echo conformance check finds what a broken peer would do."""

from __future__ import annotations

from harness.drivers import ClientRun, ServerRun
from harness.examples.echo import check
from harness.manifest import Vector

VECTORS = [Vector("a", b"Mon"), Vector("big", b"x" * 1001), Vector("over", b"y" * 65_508, expect="refused")]


def reply(seq: int, data: bytes, attempts: int = 1) -> dict[str, object]:
    return {"event": "reply", "seq": seq, "len": len(data), "hex": data.hex(), "rtt_ms": 0.1, "attempts": attempts}


def recv(data: bytes) -> dict[str, object]:
    return {"event": "recv", "peer": "127.0.0.1:1", "len": len(data), "hex": data.hex()}


def good_client() -> ClientRun:
    events = [reply(0, b"Mon"), reply(1, b"x" * 1001), {"event": "error", "seq": 2, "detail": "too big"}]
    return ClientRun(events, 1, 0.1)


def good_server() -> ServerRun:
    return ServerRun([recv(b"Mon"), recv(b"x" * 1001)], 0)


def test_a_correct_cell_passes() -> None:
    assert check(VECTORS, good_client(), good_server()) == []


def test_a_truncated_reply_fails() -> None:
    client = good_client()
    client.events[1] = reply(1, b"x" * 1000)
    assert any("got 1000 bytes" in p for p in check(VECTORS, client, good_server()))


def test_a_missing_reply_fails() -> None:
    client = good_client()
    client.events[0] = {"event": "timeout", "seq": 0, "attempts": 3}
    problems = check(VECTORS, client, good_server())
    assert any("'a': timeout" in p for p in problems)


def test_an_oversized_message_must_be_refused_not_sent() -> None:
    client = good_client()
    client.events[2] = reply(2, b"y" * 65_508)
    assert any("must be refused" in p for p in check(VECTORS, client, good_server()))


def test_the_server_must_see_the_bytes_sent() -> None:
    server = ServerRun([recv(b"Mon"), recv(b"x" * 999)], 0)
    assert any("server saw 999 bytes" in p for p in check(VECTORS, good_client(), server))


def test_an_unannounced_duplicate_at_the_server_fails_but_an_announced_resend_passes() -> None:
    doubled = ServerRun([recv(b"Mon"), recv(b"Mon"), recv(b"x" * 1001)], 0)
    assert check(VECTORS, good_client(), doubled)
    client = good_client()
    client.events[0] = reply(0, b"Mon", attempts=2)
    assert check(VECTORS, client, doubled) == []


def test_the_exit_status_must_agree_with_the_outcomes() -> None:
    client = good_client()
    client.exit_status = 0
    assert any("status 0, expected 1" in p for p in check(VECTORS, client, good_server()))


def test_two_outcomes_for_one_message_fail() -> None:
    client = good_client()
    client.events.append(reply(0, b"Mon"))
    assert any("client reported 2" in p for p in check(VECTORS, client, good_server()))


def test_a_stream_server_is_judged_on_the_concatenation_of_its_chunks() -> None:
    chunks = ServerRun([recv(b"Mo"), recv(b"n" + b"x" * 500), recv(b"x" * 501)], 0)
    assert check(VECTORS, good_client(), chunks, server_view="stream") == []
    wrong = ServerRun([recv(b"Mon"), recv(b"x" * 1000)], 0)
    assert any("server's stream" in p for p in check(VECTORS, good_client(), wrong, server_view="stream"))


def test_a_server_that_reports_nothing_is_judged_by_the_replies_alone() -> None:
    assert check(VECTORS, good_client(), ServerRun([], 0), server_view="none") == []


def test_a_server_error_fails_the_cell_even_when_replies_are_right() -> None:
    server = good_server()
    server.events.append({"event": "error", "detail": "thread died"})
    assert any("thread died" in p for p in check(VECTORS, good_client(), server))


def test_a_prefixed_reply_is_expected_where_the_example_says_so() -> None:
    vectors = [Vector("a", b"Mon", reply=b"Server message: Mon")]
    client = ClientRun([reply(0, b"Server message: Mon")], 0, 0.1)
    assert check(vectors, client, ServerRun([recv(b"Mon")], 0)) == []
    echoed = ClientRun([reply(0, b"Mon")], 0, 0.1)
    assert check(vectors, echoed, ServerRun([recv(b"Mon")], 0))
