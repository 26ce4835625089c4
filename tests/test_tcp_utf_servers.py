"""Every tcp-utf server survives bad input, and keeps serving the next client correctly.

Each case sends something a broken or hostile client would, then checks three
things: the server reported an `error` naming the problem, it closed that
connection, and a fresh client still gets exact echoes.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswire.protocol.writeutf import frame
from harness import manifest
from harness.drivers import ProcessDriver, ProcessServer
from harness.reference.tcp_utf import split_frame
from harness.timeouts import READY_TIMEOUT, REPLY_TIMEOUT

PEERS = manifest.load()
SERVERS = [p for p in PEERS.peers_of("tcp-utf", "server") if not p.builtin]
IDLE_TIMEOUT = 1.0


@pytest.fixture(params=SERVERS, ids=lambda p: p.label)
def tcp_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path, ["--idle-timeout", str(IDLE_TIMEOUT)])
    try:
        yield server
    finally:
        server.stop()


def echo(address: tuple[str, int], text: str) -> str:
    from crosswire.protocol.writeutf import unframe

    with socket.create_connection(address, timeout=REPLY_TIMEOUT) as conn:
        conn.sendall(frame(text))
        buffer = b""
        while (split := split_frame(buffer)) is None:
            data = conn.recv(65536)
            assert data, "server closed instead of replying"
            buffer += data
        return unframe(split[0])[0]


def closed_by_server(conn: socket.socket, timeout: float) -> bool:
    """Whether the server closes `conn` (EOF or reset) within `timeout`, sending nothing."""
    conn.settimeout(timeout)
    try:
        return conn.recv(100) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def errors(server: ProcessServer) -> list[str]:
    run = server.stop()
    return [str(e.get("detail", "")) for e in run.events if e["event"] == "error"]


def assert_serves_then_reported(server: ProcessServer, *words: str) -> None:
    assert echo(server.address, "大家好 😀") == "大家好 😀"
    details = errors(server)
    assert any(all(w.lower() in d.lower() for w in words) for d in details), details


BAD_INPUT = {
    "length-then-eof": (b"\x00\x05", ("truncat",)),
    "partial-body-then-eof": (b"\xff\xff" + b"a" * 1000, ("truncat",)),
    "malformed-continuation": (b"\x00\x02\xc3\x28", ("malformed",)),
    "four-byte-utf8": (b"\x00\x04\xf0\x9f\x98\x80", ("malformed",)),
    "lone-continuation-byte": (b"\x00\x01\x80", ("malformed",)),
    # readUTF accepts raw 00 bytes, but writeUTF would echo them as C0 80: 131,070 bytes, too long.
    "unechoable-65535-nul-bytes": (b"\xff\xff" + bytes(65_535), ("131070",)),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_a_bad_frame_is_reported_and_only_its_connection_closed(tcp_server: ProcessServer, case: str) -> None:
    payload, words = BAD_INPUT[case]
    with socket.create_connection(tcp_server.address, timeout=REPLY_TIMEOUT) as conn:
        conn.sendall(payload)
        if case.endswith("eof"):
            conn.shutdown(socket.SHUT_WR)
        assert closed_by_server(conn, READY_TIMEOUT)
    assert_serves_then_reported(tcp_server, *words)


def test_a_slow_partial_frame_times_out_without_blocking_others(tcp_server: ProcessServer) -> None:
    with socket.create_connection(tcp_server.address, timeout=REPLY_TIMEOUT) as slow:
        slow.sendall(b"\xff\xff" + b"x" * 100)  # announces 65,535 bytes, sends 100
        assert echo(tcp_server.address, "meanwhile") == "meanwhile"
        assert closed_by_server(slow, IDLE_TIMEOUT + READY_TIMEOUT)
    assert_serves_then_reported(tcp_server)


def test_a_silent_client_is_closed_after_the_idle_timeout(tcp_server: ProcessServer) -> None:
    with socket.create_connection(tcp_server.address, timeout=REPLY_TIMEOUT) as silent:
        assert echo(tcp_server.address, "meanwhile") == "meanwhile"
        assert closed_by_server(silent, IDLE_TIMEOUT + READY_TIMEOUT)
    assert_serves_then_reported(tcp_server)


def test_a_reset_mid_frame_is_survived(tcp_server: ProcessServer) -> None:
    conn = socket.create_connection(tcp_server.address, timeout=REPLY_TIMEOUT)
    conn.sendall(b"\x00\x10abc")
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()  # linger 0: RST instead of FIN
    assert echo(tcp_server.address, "after the reset") == "after the reset"


def test_five_hundred_clients_at_once_are_all_served(tcp_server: ProcessServer) -> None:
    results: dict[int, str] = {}
    failures: list[BaseException] = []

    def client(number: int, barrier: threading.Barrier) -> None:
        try:
            barrier.wait(READY_TIMEOUT)
            results[number] = echo(tcp_server.address, f"client {number} 中")
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            failures.append(error)

    barrier = threading.Barrier(500)
    threads = [threading.Thread(target=client, args=(n, barrier)) for n in range(500)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(READY_TIMEOUT * 2)
    assert failures == []
    assert results == {n: f"client {n} 中" for n in range(500)}


def test_many_frames_in_one_send_are_each_answered_in_order(tcp_server: ProcessServer) -> None:
    texts = [f"frame {n}" for n in range(50)] + ["", "\u0000", "😀"]
    with socket.create_connection(tcp_server.address, timeout=REPLY_TIMEOUT) as conn:
        conn.sendall(b"".join(frame(t) for t in texts))
        buffer, replies = b"", []
        while len(replies) < len(texts):
            split = split_frame(buffer)
            if split is None:
                data = conn.recv(65536)
                assert data
                buffer += data
                continue
            raw, buffer = split
            replies.append(raw)
    assert replies == [frame(t) for t in texts]
