"""Every calculator server under load and under fuzzing: every reply right, the server still up.

Expected replies come from crosswire.protocol.calc, which tests/test_calc_java_agrees.py
proves identical to the Java implementation, so one oracle serves both servers.
"""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswire.protocol.calc import handle_datagram, handle_line_bytes
from crosswire.protocol.lines import LineDecoder
from harness import manifest
from harness.drivers import ProcessDriver, ProcessServer
from harness.timeouts import READY_TIMEOUT, REPLY_TIMEOUT

LOADED = manifest.load()
TCP_SERVERS = [p for p in LOADED.peers_of("calc-tcp", "server") if not p.builtin]
UDP_SERVERS = [p for p in LOADED.peers_of("calc-udp", "server") if not p.builtin]
OPS = ["+", "-", "*", "/", "//", "%", "^", "min", "max"]


def random_request(rng: random.Random) -> bytes:
    def number() -> str:
        whole = str(rng.randint(-10**rng.randint(1, 30), 10**rng.randint(1, 30)))
        return whole if rng.random() < 0.6 else f"{whole}.{rng.randint(0, 10**6)}"

    return f"{rng.choice(OPS)} {number()} {rng.randint(-20, 20) if rng.random() < 0.2 else number()}".encode()


def junk(rng: random.Random) -> bytes:
    """Random bytes as one line: invalid UTF-8, NULs, anything but a newline."""
    return rng.randbytes(rng.randint(0, 200)).replace(b"\n", b"?")


@pytest.fixture(params=TCP_SERVERS, ids=lambda p: p.label)
def tcp_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path, ["--max-connections", "150"])
    try:
        yield server
    finally:
        server.stop()


class LineConnection:
    def __init__(self, address: tuple[str, int]) -> None:
        self.conn = socket.create_connection(address, timeout=READY_TIMEOUT)
        self.decoder = LineDecoder()

    def replies(self, count: int) -> list[bytes]:
        replies: list[bytes] = []
        while len(replies) < count:
            line = self.decoder.next_line()
            if isinstance(line, bytes):
                replies.append(line)
                continue
            data = self.conn.recv(65536)
            if not data:
                break
            self.decoder.receive_data(data)
        return replies


@pytest.mark.slow
def test_a_hundred_clients_sending_a_thousand_requests_each_get_every_reply_right(tcp_server: ProcessServer) -> None:
    failures: list[str] = []

    def client(number: int) -> None:
        rng = random.Random(number)
        requests = [random_request(rng) for _ in range(1000)]
        try:
            connection = LineConnection(tcp_server.address)
            for start in range(0, 1000, 50):  # pipelined in batches: replies must come back in order
                batch = requests[start : start + 50]
                connection.conn.sendall(b"".join(r + b"\n" for r in batch))
                for request, reply in zip(batch, connection.replies(len(batch)), strict=True):
                    if reply != handle_line_bytes(request):
                        failures.append(f"{request!r} -> {reply!r}")
            connection.conn.close()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"client {number}: {error!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(READY_TIMEOUT * 6)
    assert failures[:5] == []


def test_ten_thousand_junk_requests_get_err_replies_and_the_server_stays_up(tcp_server: ProcessServer) -> None:
    rng = random.Random(10_000)
    requests = [junk(rng) for _ in range(10_000)]
    connection = LineConnection(tcp_server.address)
    received: list[bytes] = []
    for start in range(0, len(requests), 500):
        batch = requests[start : start + 500]
        connection.conn.sendall(b"".join(r + b"\n" for r in batch))
        received += connection.replies(len(batch))
    assert received == [handle_line_bytes(r) for r in requests]
    assert all(reply.startswith(b"ERR ") for reply in received if not reply.startswith(b"OK "))
    assert tcp_server.process.process.poll() is None
    fresh = LineConnection(tcp_server.address)
    fresh.conn.sendall(b"+ 4 5\n")
    assert fresh.replies(1) == [b"OK 9"]


@pytest.fixture(params=UDP_SERVERS, ids=lambda p: p.label)
def udp_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def test_ten_thousand_junk_datagrams_get_their_err_replies(udp_server: ProcessServer) -> None:
    rng = random.Random(20_000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(REPLY_TIMEOUT)
        for _ in range(10_000):
            datagram = rng.randbytes(rng.randint(0, 300)) if rng.random() < 0.5 else b"x1 " + junk(rng)
            sock.sendto(datagram, udp_server.address)
            reply, _ = sock.recvfrom(65535)  # one at a time: no loss to blame on a full buffer
            assert reply == handle_datagram(datagram), datagram
    assert udp_server.process.process.poll() is None
