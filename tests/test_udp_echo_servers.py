"""Every udp-echo server keeps serving through bad input; every client gives up in time.

The servers are the manifest's programs, run as processes on port 0 in the
sandbox, exactly as the matrix runs them.
"""

from __future__ import annotations

import os
import random
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import manifest
from harness.drivers import ProcessDriver, ProcessServer, expand, parse_events, peer_environment
from harness.process import PeerProcess
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT, REPLY_TIMEOUT, SCALE, STOP_GRACE

PEERS = manifest.load()
SERVERS = [p for p in PEERS.peers_of("udp-echo", "server") if not p.builtin]
CLIENTS = [p for p in PEERS.peers_of("udp-echo", "client") if not p.builtin and p.io == "bench"]


@pytest.fixture(params=SERVERS, ids=lambda p: p.label)
def udp_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path)
    try:
        yield server
    finally:
        server.stop()


def echo_probe(address: tuple[str, int], payload: bytes, attempts: int = 5) -> bytes:
    """The server's echo of `payload`, ignoring any other datagram; resent on timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _ in range(attempts):
            sock.sendto(payload, address)
            deadline = time.monotonic() + REPLY_TIMEOUT
            while (remaining := deadline - time.monotonic()) > 0:
                sock.settimeout(remaining)
                try:
                    data, source = sock.recvfrom(65_535)
                except TimeoutError:
                    break
                if data == payload and source == address:
                    return data
    raise AssertionError(f"no echo of a {len(payload)}-byte probe from {address}")


def assert_still_serving(server: ProcessServer) -> None:
    assert server.process.process.poll() is None, "the server exited"
    token = os.urandom(16)
    assert echo_probe(server.address, token) == token


def test_a_largest_datagram_of_random_bytes_comes_back_whole(udp_server: ProcessServer) -> None:
    payload = random.Random(65_507).randbytes(65_507)
    assert echo_probe(udp_server.address, payload) == payload
    assert_still_serving(udp_server)


def test_a_burst_of_ten_thousand_datagrams_leaves_the_server_serving(udp_server: ProcessServer) -> None:
    rng = random.Random(10_000)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _ in range(10_000):
            sock.sendto(rng.randbytes(rng.randrange(0, 600)), udp_server.address)
    assert_still_serving(udp_server)


def test_the_server_reports_each_datagram_it_echoes(udp_server: ProcessServer) -> None:
    if not udp_server.peer.reports:
        pytest.skip("this third-party server reports nothing")
    payloads = [b"one", b"", b"\x00\xff"]
    for payload in payloads:
        echo_probe(udp_server.address, payload)
    run = udp_server.stop()
    seen = [bytes.fromhex(e["hex"]) for e in run.events if e["event"] == "recv"]
    assert seen == payloads
    assert run.problems == []


@pytest.mark.parametrize("client", CLIENTS, ids=lambda p: p.label)
def test_a_client_gives_up_after_its_retries_within_bounds(client: manifest.Peer, jar: Path, tmp_path: Path) -> None:
    """Timed read where the read times out: not before 3 × timeout, and not long after."""
    timeout, retries = 0.3, 2
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        command = expand(client.command, host="127.0.0.1", port=str(silent.getsockname()[1]), timeout=str(timeout))
        command += ["--retries", str(retries)]
        process = PeerProcess(command, tmp_path, "client", stdin_data=b"48656c6c6f\n", env=peer_environment())
        status = process.wait(CLIENT_TIMEOUT)
        silent.settimeout(0)
        copies = []
        while True:
            try:
                copies.append(silent.recv(100))
            except BlockingIOError:
                break
    events, problems = parse_events(process.stdout_lines)
    assert problems == []
    assert [e for e in events if e["event"] == "timeout"] == [{"event": "timeout", "seq": 0, "attempts": 3}]
    assert status == 1
    assert copies == [b"Hello"] * 3
    waited = process.seconds
    assert waited >= (retries + 1) * timeout
    assert waited < (retries + 1) * timeout + 5.0 * SCALE  # process start included


@pytest.mark.parametrize("client", CLIENTS, ids=lambda p: p.label)
def test_a_client_ignores_a_datagram_that_is_not_its_echo(client: manifest.Peer, jar: Path, tmp_path: Path) -> None:
    """The lecture's client took whatever came next as the reply; ours matches the bytes."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(READY_TIMEOUT)
        command = expand(client.command, host="127.0.0.1", port=str(server.getsockname()[1]))
        process = PeerProcess(command, tmp_path, "client", stdin_data=b"4d6f6e\n", env=peer_environment())
        try:
            message, sender = server.recvfrom(100)
            server.sendto(b"Sun", sender)  # a late reply to some earlier message
            server.sendto(message, sender)
            status = process.wait(CLIENT_TIMEOUT)
        finally:
            process.stop()
    events, _ = parse_events(process.stdout_lines)
    assert [e["event"] for e in events] == ["stale", "reply"]
    assert events[0]["len"] == 3 and events[1]["hex"] == b"Mon".hex()
    assert status == 0


def test_every_server_stops_promptly_on_sigterm(udp_server: ProcessServer) -> None:
    started = time.monotonic()
    run = udp_server.stop()
    assert time.monotonic() - started < STOP_GRACE, "needed SIGKILL"
    assert run.exit_status in (0, 128 + 15), run.exit_status  # the JVM exits 143 after its shutdown hooks
