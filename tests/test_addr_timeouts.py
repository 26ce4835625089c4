"""Timeouts shown and checked: clients of both languages give up on a silent server, in time.

The servers are the test's own sockets: a TCP listener whose thread accepts and
then says nothing, and a bound UDP socket that never reads. Each client measures
its own wait and reports it; as in OpenJDK's timeout tests, the wait must not end
before the timeout, and not long after it.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harness.drivers import java_executable, peer_environment
from harness.timeouts import CLIENT_TIMEOUT, REPLY_TIMEOUT, SCALE

TIMEOUT = 0.5
SLACK = 1.5 * SCALE  # a loaded machine may wake the client late; never early
POLL = 0.05
CLIENTS = {
    "python": ([sys.executable, "-m", "crosswire.addr.timeouts"], "settimeout"),
    "python-setdefaulttimeout": (
        [sys.executable, "-m", "crosswire.addr.timeouts", "--default-timeout"], "socket.setdefaulttimeout"
    ),
    "java": ([java_executable(), "-cp", "{jar}", "crosswire.addr.Timeouts"], "setSoTimeout"),
}


class SilentTcpServer:
    """Accepts every connection and never sends a byte; stops when told, closing everything."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(POLL)
        self.port: int = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, name="silent-tcp", daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(REPLY_TIMEOUT)
        for connection in self.accepted:
            connection.close()
        self.listener.close()


@pytest.fixture
def silent_tcp() -> Iterator[SilentTcpServer]:
    server = SilentTcpServer()
    try:
        yield server
    finally:
        server.close()
    assert not server.thread.is_alive()
    assert server.listener.fileno() == -1


@pytest.fixture
def silent_udp() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def run_client(client: str, jar: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [part.replace("{jar}", str(jar)) for part in CLIENTS[client][0]]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=CLIENT_TIMEOUT, env=peer_environment()
    )


def outcome(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    (line,) = result.stdout.splitlines()
    event: dict[str, Any] = json.loads(line)
    return event


@pytest.mark.parametrize("transport", ["tcp", "udp"])
@pytest.mark.parametrize("client", list(CLIENTS))
def test_the_client_gives_up_not_before_its_timeout_and_not_long_after(
    client: str, transport: str, jar: Path, silent_tcp: SilentTcpServer, silent_udp: int
) -> None:
    port = silent_tcp.port if transport == "tcp" else silent_udp
    result = run_client(client, jar, transport, "--port", str(port), "--timeout", str(TIMEOUT), "--json")
    assert result.returncode == 1, result.stderr
    event = outcome(result)
    assert event["event"] == "timeout", event
    assert event["transport"] == transport and event["phase"] == "read"
    assert event["via"] == CLIENTS[client][1]
    assert event["timeout_s"] == TIMEOUT
    assert TIMEOUT <= event["elapsed_s"] < TIMEOUT + SLACK, event
    if transport == "tcp":
        assert silent_tcp.accepted, "the client connected and was accepted: the wait was for a reply"


@pytest.mark.parametrize("client", ["python", "java"])
def test_by_hand_the_client_says_it_gave_up_and_after_how_long(
    client: str, jar: Path, silent_tcp: SilentTcpServer
) -> None:
    result = run_client(client, jar, "tcp", "--port", str(silent_tcp.port), "--timeout", str(TIMEOUT))
    assert result.returncode == 1
    line = result.stdout.strip()
    assert line.startswith(f"tcp 127.0.0.1:{silent_tcp.port}: no reply within {TIMEOUT} s (")
    waited = re.search(r": gave up after ([0-9]+\.[0-9]{3}) s$", line)
    assert waited is not None, line
    assert TIMEOUT <= float(waited.group(1)) < TIMEOUT + SLACK


def test_the_clients_describe_the_same_outcome_the_same_way(jar: Path, silent_udp: int) -> None:
    """Apart from the call that set the timeout and the measured wait, Python and Java print the same."""
    lines = {}
    for client in ("python", "java"):
        text = run_client(client, jar, "udp", "--port", str(silent_udp), "--timeout", str(TIMEOUT)).stdout
        lines[client] = text.split(" (")[0]
    assert lines["python"] == lines["java"] == f"udp 127.0.0.1:{silent_udp}: no reply within {TIMEOUT} s"


@pytest.mark.parametrize("client", list(CLIENTS))
def test_a_reply_within_the_timeout_ends_the_wait_at_once(client: str, jar: Path) -> None:
    """The control case: a UDP server that does answer gives `reply`, status 0, well before the timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(CLIENT_TIMEOUT)
        port = server.getsockname()[1]
        answer = threading.Thread(target=lambda: server.sendto(b"here", server.recvfrom(100)[1]), daemon=True)
        answer.start()
        result = run_client(client, jar, "udp", "--port", str(port), "--timeout", str(CLIENT_TIMEOUT), "--json")
        answer.join(REPLY_TIMEOUT)
    assert result.returncode == 0, result.stderr
    event = outcome(result)
    assert event["event"] == "reply" and bytes.fromhex(event["hex"]) == b"here"
    assert event["elapsed_s"] < CLIENT_TIMEOUT


@pytest.mark.parametrize("client", ["python", "java"])
@pytest.mark.parametrize("seconds", ["0", "-1", "nan"])
def test_a_timeout_of_zero_or_less_is_refused(client: str, seconds: str, jar: Path) -> None:
    """0 means "never block" to Python's settimeout and "block for ever" to Java's setSoTimeout: refuse both."""
    result = run_client(client, jar, "udp", "--port", "9", f"--timeout={seconds}")
    assert result.returncode == 2


def test_python_settimeout_zero_means_non_blocking_not_no_timeout() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0)
        assert sock.getblocking() is False
        with pytest.raises(BlockingIOError):
            sock.recv(1)
        sock.settimeout(None)
        assert sock.getblocking() is True and sock.gettimeout() is None


def test_setdefaulttimeout_reaches_only_sockets_made_afterwards() -> None:
    before = socket.socket()
    previous = socket.getdefaulttimeout()
    try:
        socket.setdefaulttimeout(TIMEOUT)
        with socket.socket() as after:
            assert after.gettimeout() == TIMEOUT
        assert before.gettimeout() is None
    finally:
        socket.setdefaulttimeout(previous)
        before.close()
