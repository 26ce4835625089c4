"""The iterative TCP echo servers: big streams, silent and vanishing clients."""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import manifest
from harness.drivers import ProcessDriver, ProcessServer
from harness.timeouts import READY_TIMEOUT, REPLY_TIMEOUT

PEERS = manifest.load()
SERVERS = [p for p in PEERS.peers_of("tcp-echo", "server") if not p.builtin and p.reports]
IDLE_TIMEOUT = 1.0


@pytest.fixture(params=SERVERS, ids=lambda p: p.label)
def echo_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path, ["--idle-timeout", str(IDLE_TIMEOUT)])
    try:
        yield server
    finally:
        server.stop()


def echo(address: tuple[str, int], payload: bytes, timeout: float = READY_TIMEOUT) -> bytes:
    with socket.create_connection(address, timeout=timeout) as conn:
        conn.sendall(payload)
        conn.shutdown(socket.SHUT_WR)
        received = bytearray()
        while chunk := conn.recv(65536):
            received += chunk
    return bytes(received)


def test_a_megabyte_of_random_bytes_comes_back_whole(echo_server: ProcessServer) -> None:
    payload = random.Random(1).randbytes(1_000_000)
    assert echo(echo_server.address, payload) == payload


def test_a_silent_client_blocks_the_next_one_only_until_the_idle_timeout(echo_server: ProcessServer) -> None:
    """The lecture's iterative server waited for ever on a client that said nothing."""
    with socket.create_connection(echo_server.address, timeout=REPLY_TIMEOUT):
        started = time.monotonic()
        assert echo(echo_server.address, b"behind a silent client") == b"behind a silent client"
        waited = time.monotonic() - started
    assert waited < IDLE_TIMEOUT + READY_TIMEOUT
    run = echo_server.stop()
    assert [e for e in run.events if e["event"] == "error"], "the idle timeout was not reported"


def test_a_reset_is_survived(echo_server: ProcessServer) -> None:
    conn = socket.create_connection(echo_server.address, timeout=REPLY_TIMEOUT)
    conn.sendall(b"x" * 100_000)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()
    assert echo(echo_server.address, b"next") == b"next"
