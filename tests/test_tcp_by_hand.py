"""The TCP programs run by hand, as the lecture runs them (errata checks)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from harness.drivers import java_executable, peer_environment
from harness.reference.tcp_echo import ReferenceServer as EchoReference
from harness.reference.tcp_threaded import ReferenceServer as ThreadedReference
from harness.timeouts import CLIENT_TIMEOUT

PROGRAMS = {
    ("tcp-echo", "python", "client"): [sys.executable, "-m", "crosswire.tcpecho.client"],
    ("tcp-echo", "java", "client"): ["crosswire.tcpecho.EchoClient"],
    ("tcp-threaded", "python", "client"): [sys.executable, "-m", "crosswire.tcpthreaded.client"],
    ("tcp-threaded", "java", "client"): ["crosswire.tcpthreaded.ThreadedClient"],
    ("tcp-threaded", "python", "server"): [sys.executable, "-m", "crosswire.tcpthreaded.server"],
    ("tcp-threaded", "java", "server"): ["crosswire.tcpthreaded.ThreadedServer"],
}


def command(jar: Path, example: str, language: str, role: str, *args: str) -> list[str]:
    program = PROGRAMS[(example, language, role)]
    if language == "java":
        program = [java_executable(), "-cp", str(jar), *program]
    return [*program, *args]


def run(argv: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, input=stdin, capture_output=True, timeout=CLIENT_TIMEOUT, env=peer_environment())


@pytest.mark.parametrize("language", ["python", "java"])
def test_the_echo_client_sends_the_lecture_days_and_prints_each_reply(
    language: str, jar: Path, tmp_path: Path
) -> None:
    server = EchoReference("127.0.0.1", tmp_path)
    try:
        result = run(command(jar, "tcp-echo", language, "client", "--port", str(server.address[1])))
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert [line for line in lines if line.startswith("Received")] == [
        f"Received: {day}" for day in ["Mon", "Tue", "Wed", "Thu", "Fri"]
    ]


@pytest.mark.parametrize("language", ["python", "java"])
def test_the_threaded_client_ends_at_end_of_input_or_bye(language: str, jar: Path, tmp_path: Path) -> None:
    """The lecture's client looped on input() for ever: its close() was unreachable."""
    server = ThreadedReference("127.0.0.1", tmp_path)
    port = str(server.address[1])
    try:
        at_eof = run(command(jar, "tcp-threaded", language, "client", "--port", port), b"hello\nworld\n")
        at_bye = run(command(jar, "tcp-threaded", language, "client", "--port", port), b"one\nbye\nnever sent\n")
    finally:
        server.stop()
    assert at_eof.returncode == 0, at_eof.stderr
    assert "Server message: hello" in at_eof.stdout.decode()
    assert "Server message: world" in at_eof.stdout.decode()
    assert at_bye.returncode == 0, at_bye.stderr
    assert "never sent" not in at_bye.stdout.decode()
    received = [bytes.fromhex(e["hex"]) for e in server.events if e["event"] == "recv"]
    assert received == [b"hello", b"world", b"one"]


@pytest.mark.parametrize("language", ["python", "java"])
def test_a_server_whose_port_is_taken_says_so_and_exits(language: str, jar: Path) -> None:
    """The lecture printed the bind error and went on to listen() on an unbound socket."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        result = run(command(jar, "tcp-threaded", language, "server", "--port", port))
    assert result.returncode != 0
    assert re.search(rb"(?i)in use", result.stderr), result.stderr
    assert b"READY" not in result.stdout
