"""The in-process driver: the same programs, called as functions (Python) or in the worker's JVM (Java).

Every matrix cell also runs under both drivers and fails if they disagree
(tests/conftest.py); these tests pin down what the in-process form must keep
from a process: the arguments, stdin, every output line, exit statuses for
usage errors and crashes, and a stop that ends the program at once and leaves
no thread behind.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from harness import inproc
from harness.drivers import InprocDriver, ProcessDriver, drivers_named
from harness.manifest import Manifest, Peer
from harness.process import PeerProcessError
from harness.runner import CellResult, run_cell_with
from harness.timeouts import READY_TIMEOUT, REPLY_TIMEOUT

READY = re.compile(r"READY \S+ (?P<host>\S+):(?P<port>\d+)")
# A stop wakes a blocked accept or receive at once; this only bounds a broken one.
STOP_BOUND = 1.0


def peer_of(peers: Manifest, example: str, role: str, name: str) -> Peer:
    return next(p for p in peers.peers if (p.example, p.role, p.name) == (example, role, name))


def test_commands_of_python_and_java_peers_have_an_inproc_form() -> None:
    assert inproc.entry_of(("{python}", "-m", "crosswire.udpecho.server", "--port", "{port}")) == inproc.Entry(
        "python", "crosswire.udpecho.server", 3)
    assert inproc.entry_of(("{java}", "-cp", "{jar}", "crosswire.udpecho.UDPServer", "--json")) == inproc.Entry(
        "java", "crosswire.udpecho.UDPServer", 4)
    assert inproc.entry_of(("socat", "-", "UDP:{host}:{port}")) is None


def test_every_python_and_java_peer_of_the_manifest_runs_inproc(peers: Manifest) -> None:
    programs = [p for p in peers.peers if p.command and p.language in ("python", "java")]
    assert programs
    assert [p.label for p in programs if not inproc.runs_inproc(p)] == []


def test_line_writer_hands_over_whole_lines_and_the_unfinished_last_one() -> None:
    lines: list[str] = []
    writer = inproc.LineWriter(lines.append)
    writer.write("READY x 1")
    assert lines == []
    writer.write(".2.3.4:5\nsecond\nthi")
    assert lines == ["READY x 1.2.3.4:5", "second"]
    writer.close()
    assert lines == ["READY x 1.2.3.4:5", "second", "thi"]


def echo_once(address: tuple[str, int], payload: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
        client.settimeout(REPLY_TIMEOUT)
        client.sendto(payload, address)
        return client.recvfrom(65_535)[0]


def threads_named(prefix: str) -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(prefix)]


@pytest.mark.parametrize("name", ["python", "java"])
def test_a_server_serves_and_stops_at_once_leaving_no_thread(name: str, peers: Manifest, tmp_path: Path,
                                                              jvm: Any) -> None:
    peer = peer_of(peers, "udp-echo", "server", name)
    running = InprocDriver().launch(peer, tmp_path, "server", {"host": "127.0.0.1", "port": "0"})
    ready = running.wait_for_line(READY, READY_TIMEOUT)
    assert echo_once((ready.group("host"), int(ready.group("port"))), b"in-process") == b"in-process"
    asked = time.monotonic()
    assert running.stop() == 0
    assert time.monotonic() - asked < STOP_BOUND
    assert threads_named("inproc ") == []
    if name == "java":
        names = [str(t.getName()) for t in jvm.JClass("java.lang.Thread").getAllStackTraces().keySet()]
        assert [n for n in names if n.startswith("inproc ")] == []
    assert (tmp_path / "server.out").read_text().startswith("READY udp-echo 127.0.0.1:")
    assert '"event":"recv"' in (tmp_path / "server.out").read_text().replace(" ", "")


@pytest.mark.parametrize("name", ["python", "java"])
def test_a_usage_error_is_status_2_with_the_error_on_stderr(name: str, peers: Manifest, tmp_path: Path) -> None:
    peer = peer_of(peers, "udp-echo", "server", name)
    running = InprocDriver().launch(peer, tmp_path, "server", {"host": "127.0.0.1", "port": "0"},
                                    extra_args=["--no-such-option"])
    assert running.wait(READY_TIMEOUT) == 2
    assert "--no-such-option" in "\n".join(running.stderr_lines)
    with pytest.raises(PeerProcessError, match="exited with status 2"):
        running.wait_for_line(READY, READY_TIMEOUT)


@pytest.mark.parametrize("name", ["python", "java"])
def test_a_client_reads_its_stdin_and_its_exit_status_is_kept(name: str, peers: Manifest, tmp_path: Path) -> None:
    (tmp_path / "server").mkdir()
    server = ProcessDriver().start_server(peer_of(peers, "udp-echo", "server", "python"), tmp_path / "server")
    try:
        client = peer_of(peers, "udp-echo", "client", name)
        stdin = b"6869\nnot hex\n"  # "hi", then a line that is not a bench message
        running = InprocDriver().launch(client, tmp_path, "client",
                                        {"host": server.address[0], "port": str(server.address[1])},
                                        stdin_data=stdin)
        status = running.wait(READY_TIMEOUT)
    finally:
        server.stop()
    assert '"hex":"6869"' in "".join(running.stdout_lines).replace(" ", "")
    assert status == 2
    assert "line 2" in "\n".join(running.stderr_lines)


def test_a_python_program_that_crashes_exits_1_with_its_traceback(tmp_path: Path, monkeypatch: Any) -> None:
    from crosswire.udpecho import server

    def crash(argv: list[str], console: Any) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(server, "run", crash)
    peer = Peer("python", "udp-echo", "server", "python", "x", ("{python}", "-m", "crosswire.udpecho.server"))
    running = InprocDriver().launch(peer, tmp_path, "server", {})
    assert running.wait(READY_TIMEOUT) == 1
    assert "RuntimeError: boom" in "\n".join(running.stderr_lines)


def fake_result(status: str, driver: str) -> CellResult:
    return CellResult("udp-echo", "python", "java", "plain", status, None, f"{driver} said {status}",
                      id="udp-echo[python-client->java-server]", log_dir=f"/logs/{driver}",
                      problems=[] if status == "pass" else [f"{driver} problem"], driver=driver)


def test_both_drivers_must_agree_or_the_cell_fails(peers: Manifest, monkeypatch: Any) -> None:
    import harness.runner as runner

    cell = peers.cells(["udp-echo"])[0]
    verdicts = {"process": "pass", "inproc": "fail"}
    monkeypatch.setattr(runner, "run_cell", lambda cell, m, driver, root: fake_result(verdicts[driver.name],
                                                                                       driver.name))
    disagreeing = run_cell_with(cell, peers, drivers_named("both"))
    assert disagreeing.status == "fail"
    assert disagreeing.verdicts == verdicts
    assert disagreeing.problems[0] == "the drivers disagree: process pass, inproc fail"
    assert "inproc: inproc problem" in disagreeing.problems

    verdicts["inproc"] = "pass"
    agreeing = run_cell_with(cell, peers, drivers_named("both"))
    assert (agreeing.status, agreeing.driver) == ("pass", "both")
