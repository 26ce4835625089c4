"""The multithreaded servers under load, at their cap, and when clients end abruptly."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from crosswire.protocol.lines import LineDecoder
from harness import manifest
from harness.drivers import ProcessDriver, ProcessServer
from harness.timeouts import READY_TIMEOUT, REPLY_TIMEOUT
from tests.polling import eventually

PEERS = manifest.load()
SERVERS = [p for p in PEERS.peers_of("tcp-threaded", "server") if not p.builtin]
CAP = 300


@pytest.fixture(params=SERVERS, ids=lambda p: p.label)
def threaded_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path, ["--max-connections", str(CAP)])
    try:
        yield server
    finally:
        server.stop()


# The JVM starts threads of its own under load (garbage collection, compilers) and keeps
# them; they are not the server's. Everything else, Python's threads included, is counted.
JVM_THREADS = re.compile(r"^(GC Thread|G1 |C[12] CompilerThre|VM |Sweeper|Common-Cleaner|Signal Dispatch"
                         r"|Finalizer|Reference Handl|Notification Th|Service Thread|Monitor Deflati"
                         r"|Attach Listener|Periodic GC)")


def thread_count(pid: int) -> int:
    """The server's own threads (not the JVM's housekeeping)."""
    count = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            name = Path(f"/proc/{pid}/task/{task}/comm").read_text().strip()
        except OSError:
            continue  # the thread ended while we looked
        count += not JVM_THREADS.match(name)
    return count


class LineClient:
    def __init__(self, address: tuple[str, int]) -> None:
        self.conn = socket.create_connection(address, timeout=REPLY_TIMEOUT)
        self.decoder = LineDecoder()

    def ask(self, text: str) -> str:
        self.conn.sendall(text.encode() + b"\n")
        return self.read_line()

    def read_line(self) -> str:
        while not isinstance(line := self.decoder.next_line(), bytes):
            data = self.conn.recv(65536)
            self.decoder.receive_data(data)
            if not data and not isinstance(self.decoder.next_line(), bytes):
                raise ConnectionError("closed")
        return line.decode()

    def close(self) -> None:
        self.conn.close()


def test_two_hundred_clients_exchange_a_hundred_messages_each(threaded_server: ProcessServer) -> None:
    pid = threaded_server.process.pid
    idle = thread_count(pid)
    failures: list[str] = []
    barrier = threading.Barrier(200)

    def client(number: int) -> None:
        try:
            line_client = LineClient(threaded_server.address)
            barrier.wait(READY_TIMEOUT)  # all 200 connected at once
            for message in range(100):
                text = f"client {number} message {message} 中"
                reply = line_client.ask(text)
                if reply != f"Server message: {text}":
                    failures.append(f"{text!r} -> {reply!r}")
            line_client.close()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"client {number}: {error!r}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(READY_TIMEOUT * 3)
    assert failures == []
    settled = eventually(lambda: thread_count(pid), lambda count: count <= idle, READY_TIMEOUT)
    assert settled <= idle, f"{settled} threads after the clients left, {idle} before"


@pytest.fixture(params=SERVERS, ids=lambda p: p.label)
def capped_server(request: pytest.FixtureRequest, jar: Path, tmp_path: Path) -> Iterator[ProcessServer]:
    server = ProcessDriver().start_server(request.param, tmp_path, ["--max-connections", "3"])
    try:
        yield server
    finally:
        server.stop()


def test_a_connection_over_the_cap_is_told_and_closed_and_the_others_go_on(capped_server: ProcessServer) -> None:
    clients = [LineClient(capped_server.address) for _ in range(3)]
    for client in clients:
        assert client.ask("in") == "Server message: in"  # all three are being served
    extra = LineClient(capped_server.address)
    assert extra.read_line() == "Server busy"
    assert extra.conn.recv(100) == b""
    assert [c.ask("still") for c in clients] == ["Server message: still"] * 3
    for client in clients:
        client.close()
    # The refusal is reported on the server's stdout; wait for that line rather than race it.
    capped_server.process.wait_for_line(re.compile(r'"event":"error".*max-connections'), READY_TIMEOUT)


def test_a_half_closed_client_still_gets_its_replies(threaded_server: ProcessServer) -> None:
    with socket.create_connection(threaded_server.address, timeout=REPLY_TIMEOUT) as conn:
        conn.sendall(b"one\ntwo\nunterminated")
        conn.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := conn.recv(1000):
            received += chunk
    assert received == b"Server message: one\nServer message: two\nServer message: unterminated\n"


def test_a_line_in_single_bytes_gets_one_reply(threaded_server: ProcessServer) -> None:
    client = LineClient(threaded_server.address)
    for byte in b"split into bytes\n":
        client.conn.sendall(bytes([byte]))
    assert client.read_line() == "Server message: split into bytes"
    client.close()


def test_a_reset_in_mid_line_is_logged_and_others_are_served(threaded_server: ProcessServer) -> None:
    conn = socket.create_connection(threaded_server.address, timeout=REPLY_TIMEOUT)
    conn.sendall(b"half a li")
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()
    client = LineClient(threaded_server.address)
    assert client.ask("next") == "Server message: next"
    client.close()


def test_a_client_process_that_vanishes_is_survived(threaded_server: ProcessServer) -> None:
    host, port = threaded_server.address
    script = (
        "import socket, sys, threading\n"
        f"s = socket.create_connection(({host!r}, {port}))\n"
        "s.sendall(b'partial line')\n"
        "print('sent', flush=True)\n"
        "threading.Event().wait()\n"
    )
    victim = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert victim.stdout is not None and victim.stdout.readline() == b"sent\n"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(REPLY_TIMEOUT)
    client = LineClient(threaded_server.address)
    assert client.ask("after") == "Server message: after"
    client.close()


@pytest.mark.parametrize("payload", [b"\xff\xfe bad utf-8\n", b"x" * 70_000 + b"\n"], ids=["not-utf8", "too-long"])
def test_a_bad_line_is_reported_and_only_its_connection_closed(
    threaded_server: ProcessServer, payload: bytes
) -> None:
    with socket.create_connection(threaded_server.address, timeout=READY_TIMEOUT) as conn:
        conn.sendall(payload)
        try:
            assert conn.recv(100) == b""
        except ConnectionResetError:
            pass
    client = LineClient(threaded_server.address)
    assert client.ask("fine") == "Server message: fine"
    client.close()
    run = threaded_server.stop()
    assert [e for e in run.events if e["event"] == "error"], "the bad line was not reported"
