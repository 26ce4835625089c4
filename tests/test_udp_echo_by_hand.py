"""The udp-echo programs run by hand, as the lecture runs them (errata checks)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.drivers import java_executable, peer_environment
from harness.process import PeerProcess
from harness.reference.udp_echo import ReferenceServer
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT


@pytest.fixture
def reference_server(tmp_path: Path) -> Iterator[ReferenceServer]:
    server = ReferenceServer("127.0.0.1", tmp_path)
    try:
        yield server
    finally:
        server.stop()


def received(server: ReferenceServer) -> list[bytes]:
    return [bytes.fromhex(e["hex"]) for e in server.events if e["event"] == "recv"]


def run(command: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(command, capture_output=True, timeout=CLIENT_TIMEOUT, env=peer_environment())


def java_client(jar: Path, *args: str, jvm_options: tuple[str, ...] = ()) -> list[str]:
    return [java_executable(), *jvm_options, "-cp", str(jar), "crosswire.udpecho.UDPClient", *args]


def test_the_java_client_prints_only_the_bytes_it_received(jar: Path, reference_server: ReferenceServer) -> None:
    """The lecture printed `new String(reply.getData())`: the whole 1,000-byte buffer."""
    port = str(reference_server.address[1])
    result = run(java_client(jar, "Hello", "127.0.0.1", "--port", port))
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"Reply: Hello\n"


def test_the_java_client_sends_utf8_whatever_the_default_charset(
    jar: Path, reference_server: ReferenceServer
) -> None:
    """The lecture's `getBytes()` used the platform charset: 大家好 became ??? under Latin-1."""
    port = str(reference_server.address[1])
    result = run(java_client(jar, "大家好", "127.0.0.1", "--port", port, jvm_options=("-Dfile.encoding=ISO-8859-1",)))
    assert result.returncode == 0, result.stderr
    assert received(reference_server) == ["大家好".encode()]


def test_the_python_client_sends_the_lecture_days_by_default(reference_server: ReferenceServer) -> None:
    port = str(reference_server.address[1])
    result = run([sys.executable, "-m", "crosswire.udpecho.client", "--port", port])
    assert result.returncode == 0, result.stderr
    assert received(reference_server) == [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri"]
    lines = result.stdout.decode().splitlines()
    assert [line for line in lines if line.startswith("Receive")] == [
        f"Receive {day} (3 bytes) from ('127.0.0.1', {port})" for day in ["Mon", "Tue", "Wed", "Thu", "Fri"]
    ]


@pytest.mark.parametrize("language", ["python", "java"])
def test_a_client_without_a_server_says_so_and_fails(language: str, jar: Path) -> None:
    """The lecture's clients blocked forever when no reply came."""
    options = ["--port", "9", "--timeout", "0.2", "--retries", "1"]
    if language == "python":
        command = [sys.executable, "-m", "crosswire.udpecho.client", "Mon", *options]
    else:
        command = java_client(jar, "Mon", "127.0.0.1", *options)
    result = run(command)
    assert result.returncode == 1
    text = (result.stdout + result.stderr).decode().lower()
    assert "no reply" in text and "2 attempt" in text


def test_the_java_client_without_arguments_uses_defaults_instead_of_crashing(jar: Path) -> None:
    """The lecture's client read args[0] and args[1] unchecked: ArrayIndexOutOfBoundsException."""
    result = run(java_client(jar, "--timeout", "0.2", "--retries", "0"))
    assert result.returncode == 1
    assert b"Exception" not in result.stderr
    assert b"no reply" in result.stderr + result.stdout


@pytest.mark.parametrize("language", ["python", "java"])
def test_a_server_binds_loopback_unless_told_otherwise(language: str, jar: Path, tmp_path: Path) -> None:
    """The lecture's Java server bound every interface; ours, like the Python one, binds 127.0.0.1."""
    if language == "python":
        command = [sys.executable, "-m", "crosswire.udpecho.server", "--port", "0"]
    else:
        command = [java_executable(), "-cp", str(jar), "crosswire.udpecho.UDPServer", "--port", "0"]
    server = PeerProcess(command, tmp_path, "server", env=peer_environment())
    try:
        ready = server.wait_for_line(re.compile(r"READY udp-echo (\S+):(\d+)"), READY_TIMEOUT)
        assert ready.group(1) == "127.0.0.1"
    finally:
        server.stop()
