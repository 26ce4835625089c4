"""The lecture's telnet port test, by program: a hand-typed HTTP/1.1 request to Python's http.server."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from harness.drivers import java_executable, peer_environment
from harness.timeouts import CLIENT_TIMEOUT, REPLY_TIMEOUT

BODY = b"crosswire port test: hello, telnet\n"
PATH = "/hello"


class KnownBodyHandler(BaseHTTPRequestHandler):
    """Serves BODY for every GET and remembers what was asked."""

    server: RecordingServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.requests.append((self.requestline, dict(self.headers.items())))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log on the test's stderr


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), KnownBodyHandler)
        self.requests: list[tuple[str, dict[str, str]]] = []


@pytest.fixture
def http_server() -> Iterator[RecordingServer]:
    server = RecordingServer()  # bound and listening: clients can connect before serve_forever runs
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(REPLY_TIMEOUT)
    assert not thread.is_alive()
    assert server.socket.fileno() == -1


def porttest(language: str, jar: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if language == "python":
        command = [sys.executable, "-m", "crosswire.addr.porttest", *args]
    else:
        command = [java_executable(), "-cp", str(jar), "crosswire.addr.PortTest", *args]
    return subprocess.run(command, capture_output=True, timeout=CLIENT_TIMEOUT, env=peer_environment())


@pytest.mark.parametrize("language", ["python", "java"])
def test_the_client_prints_the_status_line_and_the_body(language: str, jar: Path, http_server: RecordingServer) -> None:
    port = http_server.server_address[1]
    result = porttest(language, jar, "127.0.0.1", str(port), PATH)
    assert result.returncode == 0, result.stderr
    typed, _, response = result.stdout.partition(b"> \n")
    assert typed.splitlines() == [
        f"> GET {PATH} HTTP/1.1".encode(), f"> Host: 127.0.0.1:{port}".encode(), b"> Connection: close"
    ]
    assert response.startswith(b"HTTP/1.0 200 OK\r\n")
    assert response.endswith(b"\r\n\r\n" + BODY)


@pytest.mark.parametrize("language", ["python", "java"])
def test_the_server_gets_exactly_the_hand_typed_request(language: str, jar: Path, http_server: RecordingServer) -> None:
    port = http_server.server_address[1]
    result = porttest(language, jar, "127.0.0.1", str(port), PATH, "--json")
    assert result.returncode == 0, result.stderr
    request, response = (json.loads(line) for line in result.stdout.splitlines())
    typed = f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    assert request == {"event": "request", "len": len(typed), "hex": typed.hex()}
    assert response["event"] == "response" and response["status"] == "HTTP/1.0 200 OK"
    assert bytes.fromhex(response["hex"]).endswith(BODY)
    assert response["len"] == len(bytes.fromhex(response["hex"]))
    ((line, headers),) = http_server.requests
    assert line == f"GET {PATH} HTTP/1.1"
    assert headers["Host"] == f"127.0.0.1:{port}" and headers["Connection"] == "close"


@pytest.mark.parametrize("language", ["python", "java"])
def test_nobody_listening_is_status_1_with_the_reason(language: str, jar: Path) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, and nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = porttest(language, jar, "127.0.0.1", str(port), "/", "--json")
    assert result.returncode == 1
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [event["event"] for event in events] == ["request", "error"]
    assert "refused" in events[1]["detail"].lower()
