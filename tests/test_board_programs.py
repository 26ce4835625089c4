"""The board programs (crosswire.board.server, publisher, subscriber) as users run them, as processes.

Each test gets its own store, groups and ports (harness.groups), a server on
port 0, and subscribers that print READY once they joined, so nothing sleeps.
`BoardBench` is shared with tests/test_board_hosts.py.
"""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from crosswire.protocol import benchwire
from crosswire.protocol.board import (
    END_OF_STREAM,
    NEED_DATA,
    Boards,
    ErrorReply,
    Fetch,
    ListBoards,
    Messages,
    Post,
    Reply,
    Request,
    encode,
    reply_decoder,
)
from harness import build, sandbox
from harness.drivers import java_executable, parse_events, peer_environment
from harness.groups import SANDBOX_INTERFACE, allocate_group
from harness.process import PeerProcess, stop_all
from harness.runs import Event
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT, REPLY_TIMEOUT
from tests.test_board_protocol import VECTORS, unhex

pytestmark = pytest.mark.skipif(sandbox.multicast_skip_reason() is not None,
                                reason=sandbox.multicast_skip_reason() or "")

SERVER_READY = re.compile(r"READY board (?P<host>\S+):(?P<port>\d+)")
SUBSCRIBER_READY = re.compile(r"READY board-subscriber (?P<group>\S+):(?P<port>\d+) iface=(?P<iface>\S+)")
HEARTBEAT = "0.2"
TEXTS = ["hello", "大家好", "two\nlines", "", "nul \u0000 inside", "😀 outside the BMP"]


def board_texts(topic: str) -> list[str]:
    """TEXTS, marked with their board, and a text of exactly the 8,000-byte limit."""
    return [f"{topic}: {text}" for text in TEXTS] + [topic[0] * 8000]


JAVA_CLASSES = {"server": "BoardServer", "publisher": "Publisher", "subscriber": "Subscriber"}
LANGUAGES = ["python", "java"]
STOPPED = {"python": 0, "java": 128 + signal.SIGTERM}  # the JVM exits 143 after its shutdown hooks


def module(name: str, *args: str, language: str = "python") -> list[str]:
    """The board program `name` (server, publisher, subscriber) in `language`."""
    if language == "java":
        return [java_executable(), "-cp", str(build.JAR), f"crosswire.board.{JAVA_CLASSES[name]}", *args]
    return [sys.executable, "-m", f"crosswire.board.{name}", *args]


def consecutive_groups(count: int) -> tuple[str, int]:
    """A group base with `count` groups of this test's own after it (board n gets base + n), and a port base."""
    allocated = [allocate_group() for _ in range(count)]
    first = ipaddress.IPv4Address(allocated[0][0])
    assert [g for g, _ in allocated] == [str(first + n) for n in range(count)], "groups were not consecutive"
    return str(first), allocated[0][1]


def hex_lines(texts: list[str]) -> bytes:
    return "".join(benchwire.message_line(t.encode("utf-8", "surrogatepass")) + "\n" for t in texts).encode()


def delivered(process: PeerProcess) -> list[tuple[str, int, str]]:
    return [(e["topic"], e["seq"], bytes.fromhex(e["hex"]).decode("utf-8", "surrogatepass"))
            for e in events(process) if e["event"] == "deliver"]


def events(process: PeerProcess) -> list[Event]:
    parsed, problems = parse_events(process.stdout_lines)
    assert problems == [], problems
    return parsed


class BoardBench:
    """A server, its store, and the publishers and subscribers of one test; `on` runs a command on a host."""

    def __init__(self, log_dir: Path, boards: int = 2, on: Callable[[list[str]], list[str]] = lambda c: c,
                 iface: str = SANDBOX_INTERFACE, language: str = "python") -> None:
        self.language = language
        self.log_dir = log_dir
        self.store = log_dir / "board.sqlite3"
        self.group_base, self.port_base = consecutive_groups(boards)
        self.on = on
        self.iface = iface
        self.processes: list[PeerProcess] = []
        self.host = iface
        self.port = 0

    def start(self, name: str, command: list[str], stdin: bytes | None = None) -> PeerProcess:
        process = PeerProcess(self.on(command), self.log_dir, name, stdin_data=stdin, env=peer_environment())
        self.processes.append(process)
        return process

    def server(self, name: str = "server", host: str | None = None, port: int = 0) -> PeerProcess:
        process = self.start(name, self.program(
            "server", "--host", host or self.iface, "--port", str(port), "--store", str(self.store), "--json",
            "--group-base", self.group_base, "--board-port-base", str(self.port_base), "--iface", self.iface,
            "--heartbeat", HEARTBEAT,
        ))
        ready = process.wait_for_line(SERVER_READY, READY_TIMEOUT)
        self.host, self.port = ready.group("host"), int(ready.group("port"))
        return process

    def program(self, name: str, *args: str) -> list[str]:
        return module(name, *args, language=self.language)

    def publisher_command(self, *args: str) -> list[str]:
        return self.program("publisher", "--host", self.host, "--port", str(self.port), "--json", *args)

    def publish(self, *args: str, texts: list[str] | None = None, name: str = "publisher") -> tuple[int, list[Event]]:
        stdin = hex_lines(texts) if texts is not None else None
        process = self.start(f"{name}-{len(self.processes)}", self.publisher_command(*args), stdin)
        status = process.wait(CLIENT_TIMEOUT)
        return status, events(process)

    def create(self, topic: str) -> str:
        status, created = self.publish("create", topic)
        assert status == 0, created
        assert created[0]["event"] == "created"
        token: str = created[0]["token"]
        return token

    def subscriber(self, topic: str, *args: str, count: int, json: bool = True, name: str = "subscriber",
                   on: Callable[[list[str]], list[str]] | None = None, iface: str | None = None) -> PeerProcess:
        """A subscriber that has joined (READY), by default on the server's host; `on` and `iface` put it elsewhere."""
        command = self.program(
            "subscriber", topic, "--host", self.host, "--port", str(self.port), "--iface", iface or self.iface,
            "--count", str(count), "--timeout", str(CLIENT_TIMEOUT), *(["--json"] if json else []), *args,
        )
        process = PeerProcess((on or self.on)(command), self.log_dir, f"{name}-{len(self.processes)}",
                              env=peer_environment())
        self.processes.append(process)
        process.wait_for_line(SUBSCRIBER_READY, READY_TIMEOUT)
        return process

    def close(self) -> None:
        stop_all(self.processes)


@pytest.fixture(params=LANGUAGES)
def bench(request: pytest.FixtureRequest, tmp_path: Path, jar: Path) -> Iterator[BoardBench]:
    """Server, publisher and subscribers all in one language (the matrix mixes them)."""
    made = BoardBench(tmp_path, language=request.param)
    yield made
    made.close()


def test_two_boards_each_subscriber_delivers_exactly_its_boards_messages_in_order(bench: BoardBench) -> None:
    server = bench.server()
    tokens = {topic: bench.create(topic) for topic in ("news", "sports")}
    texts = {topic: board_texts(topic) for topic in tokens}
    news = bench.subscriber("news", count=len(texts["news"]))
    sports = bench.subscriber("sports", count=len(texts["sports"]))
    by_hand = bench.subscriber("news", count=2, json=False, name="by-hand")
    for round_ in range(2):  # the boards' posts interleave
        for topic, token in tokens.items():
            half = texts[topic][:3] if round_ == 0 else texts[topic][3:]
            status, posted = bench.publish("post", topic, "--token", token, texts=half)
            assert status == 0, posted
    assert [news.wait(CLIENT_TIMEOUT), sports.wait(CLIENT_TIMEOUT), by_hand.wait(CLIENT_TIMEOUT)] == [0, 0, 0]
    for process, topic in ((news, "news"), (sports, "sports")):
        assert delivered(process) == [(topic, n, text) for n, text in enumerate(texts[topic], start=1)]
    assert by_hand.stdout_lines[1:] == ["[news #1] news: hello", "[news #2] news: 大家好"]
    ready = SUBSCRIBER_READY.search(news.stdout_lines[0])
    assert ready is not None and (ready.group("group"), ready.group("iface")) == (bench.group_base, SANDBOX_INTERFACE)
    assert server.stop() == STOPPED[bench.language]
    posted_events = [(e["topic"], e["seq"]) for e in events(server) if e["event"] == "posted"]
    assert sorted(posted_events) == sorted((t, n) for t in tokens for n in range(1, len(texts[t]) + 1))


def test_the_publisher_lists_the_boards_with_their_groups_and_last_seq(bench: BoardBench) -> None:
    bench.server()
    token = bench.create("news")
    bench.create("sports")
    assert bench.publish("post", "news", "--token", token, "one", "two")[0] == 0
    status, listed = bench.publish("list")
    assert status == 0
    second_group = str(ipaddress.IPv4Address(bench.group_base) + 1)
    assert listed == [
        {"event": "board", "topic": "news", "group": bench.group_base, "port": bench.port_base, "last_seq": 2},
        {"event": "board", "topic": "sports", "group": second_group, "port": bench.port_base + 1, "last_seq": 0},
    ]


def error_codes(outcome: tuple[int, list[Event]]) -> tuple[int, list[str]]:
    status, printed = outcome
    return status, [str(e.get("code", e["event"])) for e in printed]


def test_refused_requests_get_their_error_codes_and_the_server_keeps_serving(bench: BoardBench) -> None:
    server = bench.server()
    token = bench.create("news")
    assert error_codes(bench.publish("post", "news", "no token")) == (1, ["BAD_TOKEN"])
    assert error_codes(bench.publish("post", "news", "--token", "0" * 32, "wrong")) == (1, ["BAD_TOKEN"])
    assert error_codes(bench.publish("post", "news", "--token", "not-a-token", "odd")) == (1, ["BAD_TOKEN"])
    assert error_codes(bench.publish("post", "news", "--token", token.upper(), "upper")) == (1, ["BAD_TOKEN"])
    assert error_codes(bench.publish("post", "nowhere", "--token", token, "x")) == (1, ["NO_SUCH_BOARD"])
    assert error_codes(bench.publish("post", "news", "--token", token, "x" * 8001)) == (1, ["TOO_LONG"])
    assert error_codes(bench.publish("create", "news")) == (1, ["TOPIC_EXISTS"])
    assert error_codes(bench.publish("create", "two words")) == (1, ["BAD_TOPIC"])
    # One refusal among good posts on one connection: the others go through, numbered without a hole.
    status, mixed = bench.publish("post", "news", "--token", token, texts=["first", "é" * 4001, "second"])
    assert status == 1
    assert [(e["event"], e.get("seq"), e["index"]) for e in mixed] == [
        ("posted", 1, 0), ("error", None, 1), ("posted", 2, 2)]
    assert server.process.poll() is None
    errors = [e for e in events(server) if e["event"] == "error"]
    assert len(errors) == 9 and all(e["peer"].startswith(bench.host) for e in errors)


# --- raw requests ------------------------------------------------------------------------


class RawClient:
    """A TCP connection to the server that sends whatever bytes a test wants."""

    def __init__(self, host: str, port: int) -> None:
        self.socket = socket.create_connection((host, port), timeout=REPLY_TIMEOUT)
        self.decoder = reply_decoder()

    def reply(self) -> Reply | None:
        """The next reply, or None if the server closed the connection."""
        while True:
            message = self.decoder.next_message()
            if message is END_OF_STREAM:
                return None
            if message is not NEED_DATA:
                return message
            try:
                self.decoder.receive_data(self.socket.recv(65_536))
            except ConnectionResetError:
                self.decoder.receive_data(b"")

    def __enter__(self) -> RawClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.socket.close()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BoardBench, PeerProcess, str]]:
    made = BoardBench(tmp_path_factory.mktemp("board-raw"))
    server = made.server()
    token = made.create("news")
    yield made, server, token
    made.close()


@pytest.mark.parametrize("vector", [v for v in VECTORS["malformed"] if v["side"] == "server"],
                         ids=lambda v: v["name"])
def test_a_malformed_request_gets_bad_request_or_a_closed_connection_and_the_server_keeps_serving(
    vector: dict[str, Any], shared_server: tuple[BoardBench, PeerProcess, str]
) -> None:
    bench, server, _ = shared_server
    with RawClient(bench.host, bench.port) as client:
        client.socket.sendall(unhex(vector["hex"]))
        if vector.get("fatal"):
            client.socket.shutdown(socket.SHUT_WR)  # a frame cut short is only known once the stream ends
            assert client.reply() is None
        else:
            answer = client.reply()
            assert isinstance(answer, ErrorReply)
            assert (answer.request_id, answer.code) == (vector["request_id"], "BAD_REQUEST")
            client.socket.sendall(encode(ListBoards(5)))  # the same connection goes on
            assert isinstance(client.reply(), Boards)
    with RawClient(bench.host, bench.port) as client:
        client.socket.sendall(encode(ListBoards(6)))
        assert isinstance(client.reply(), Boards)
    assert server.process.poll() is None


def test_requests_pipelined_on_one_connection_are_answered_in_order(
    shared_server: tuple[BoardBench, PeerProcess, str]
) -> None:
    bench, _, token = shared_server
    requests: list[Request] = [Post(100 + n, "news", token, f"pipelined {n}") for n in range(20)]
    requests += [Fetch(200, "news", 1, 0), Fetch(201, "news", 0, 5), Fetch(202, "news", 5, 4),
                 Fetch(203, "news", 1, -1)]
    with RawClient(bench.host, bench.port) as client:
        client.socket.sendall(b"".join(encode(r) for r in requests))
        replies = [client.reply() for _ in requests]
    assert [r.request_id for r in replies if r is not None] == [r.request_id for r in requests]
    fetched = replies[20]
    assert isinstance(fetched, Messages)
    assert [m.text for m in fetched.messages][-20:] == [f"pipelined {n}" for n in range(20)]
    assert [(r.code if isinstance(r, ErrorReply) else r) for r in replies[21:]] == ["BAD_RANGE"] * 3


def test_the_server_stops_on_sigterm_with_status_0(bench: BoardBench) -> None:
    server = bench.server()
    with RawClient(bench.host, bench.port):  # an open connection does not hold it up
        assert server.stop() == STOPPED[bench.language]


# --- durability ---------------------------------------------------------------------------


def test_a_server_killed_mid_stream_keeps_every_acknowledged_post_and_numbers_on(bench: BoardBench) -> None:
    """kill -9 while a publisher streams 2,000 posts; restarted on the same store, nothing acknowledged is missing."""
    server = bench.server()
    token = bench.create("news")
    texts = [f"before the crash {n}" for n in range(2000)]
    publisher = bench.start("streaming-publisher", bench.publisher_command("post", "news", "--token", token),
                            stdin=hex_lines(texts))
    publisher.wait_for_line(re.compile(r'"event":"posted".*"seq":100,'), READY_TIMEOUT)
    os.killpg(server.pid, signal.SIGKILL)
    assert server.process.wait(CLIENT_TIMEOUT) == -signal.SIGKILL
    assert publisher.wait(CLIENT_TIMEOUT) == 1
    acknowledged = {e["seq"]: texts[e["index"]] for e in events(publisher) if e["event"] == "posted"}
    assert 100 <= len(acknowledged) < len(texts)
    assert sorted(acknowledged) == list(range(1, len(acknowledged) + 1))

    bench.server("restarted")
    status, after = bench.publish("post", "news", "--token", token, "after the restart 1", "after the restart 2")
    assert status == 0
    first_after = after[0]["seq"]
    assert first_after > max(acknowledged)  # a post stored but not acknowledged keeps its number too
    assert [e["seq"] for e in after] == [first_after, first_after + 1]

    history = bench.subscriber("news", "--since", "1", count=first_after + 1, name="history")
    assert history.wait(CLIENT_TIMEOUT) == 0
    got = delivered(history)
    assert [seq for _, seq, _ in got] == list(range(1, first_after + 2))
    texts_by_seq = {seq: text for _, seq, text in got}
    assert all(texts_by_seq[seq] == text for seq, text in acknowledged.items())
    assert [texts_by_seq[first_after], texts_by_seq[first_after + 1]] == ["after the restart 1", "after the restart 2"]
    assert set(texts_by_seq.values()) <= set(texts) | {"after the restart 1", "after the restart 2"}


def test_a_subscriber_since_n_gets_the_history_from_n_then_the_live_posts(bench: BoardBench) -> None:
    bench.server()
    token = bench.create("news")
    assert bench.publish("post", "news", "--token", token, texts=[f"old {n}" for n in range(1, 2501)])[0] == 0
    late = bench.subscriber("news", "--since", "3", "--repair-timeout", "10", count=2500 - 2 + 2)
    assert bench.publish("post", "news", "--token", token, "new 2501", "new 2502")[0] == 0
    assert late.wait(CLIENT_TIMEOUT) == 0
    got = delivered(late)
    assert [seq for _, seq, _ in got] == list(range(3, 2503))
    assert got[-1][2] == "new 2502"
    repairs = [(e["from"], e["to"]) for e in events(late) if e["event"] == "repair"]
    assert repairs[:3] == [(3, 2500), (1003, 2500), (2003, 2500)]  # 1,000 a reply, then ask for the rest


def test_a_subscriber_to_a_board_that_does_not_exist_says_so(bench: BoardBench) -> None:
    bench.server()
    command = bench.program("subscriber", "nowhere", "--host", bench.host, "--port", str(bench.port),
                            "--json", "--iface", bench.iface)
    process = bench.start("nowhere", command)
    assert process.wait(CLIENT_TIMEOUT) == 1
    assert "NO_SUCH_BOARD" in "\n".join(process.stderr_lines)


def test_live_subscribers_recover_every_message_across_a_server_restart(bench: BoardBench) -> None:
    """kill -9 the server between posts, restart it on its store and port: subscribers miss nothing."""
    server = bench.server()
    port = bench.port
    token = bench.create("news")
    texts = [f"before {n}" for n in range(1, 51)] + [f"after {n}" for n in range(51, 101)]
    listeners = [bench.subscriber("news", count=len(texts), name=f"live-{n}") for n in range(2)]
    assert bench.publish("post", "news", "--token", token, texts=texts[:50])[0] == 0
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(CLIENT_TIMEOUT)
    bench.server(name="restarted", port=port)
    status, posted = bench.publish("post", "news", "--token", token, texts=texts[50:])
    assert status == 0
    assert [e["seq"] for e in posted if e["event"] == "posted"] == list(range(51, 101))
    for listener in listeners:
        assert listener.wait(CLIENT_TIMEOUT) == 0
        assert delivered(listener) == [("news", n, text) for n, text in enumerate(texts, start=1)]
