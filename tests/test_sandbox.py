"""The network sandbox holds: only loopback, multicast routed to lo, no orphans."""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from harness import sandbox, topology
from harness.process import PeerProcess
from harness.timeouts import READY_TIMEOUT, STOP_GRACE

ROOT = Path(__file__).resolve().parents[1]
inside = pytest.mark.skipif(sandbox.mode() != "netns", reason=sandbox.describe())


@inside
def test_the_only_interfaces_are_loopback_and_the_simulated_hosts_links() -> None:
    """No interface leads off the machine: lo, and the bridges and veths that simulated hosts
    (harness/topology.py, run by other tests in parallel) add inside the sandbox."""
    names = [name for _, name in socket.if_nameindex()]
    assert names[0] == "lo"
    assert all(name.startswith(topology.NAME_PREFIX) for name in names[1:]), names


@inside
def test_there_is_no_default_route() -> None:
    routes = Path("/proc/net/route").read_text().splitlines()[1:]
    assert all(line.split()[1] != "00000000" for line in routes), routes


@inside
def test_multicast_is_routed_to_loopback() -> None:
    route = subprocess.run(["ip", "route", "show", "224.0.0.0/4"], capture_output=True, text=True, timeout=10)
    assert "dev lo" in route.stdout
    link = subprocess.run(["ip", "link", "show", "lo"], capture_output=True, text=True, timeout=10)
    assert "MULTICAST" in link.stdout and "UP" in link.stdout
    assert sandbox.multicast_skip_reason() is None


def test_without_namespaces_the_session_falls_back_and_says_why() -> None:
    env = {k: v for k, v in os.environ.items() if k not in (sandbox.ENV_MODE, sandbox.ENV_REASON)}
    env["PATH"] = "/nonexistent"  # no unshare to be found
    script = (
        "from harness import sandbox\n"
        "sandbox.enter(['never-run'])\n"
        "print(sandbox.mode()); print(sandbox.multicast_skip_reason())\n"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30)
    mode, reason = result.stdout.splitlines()
    assert mode == "loopback"
    assert "unshare" in reason and "multicast tests are skipped" in reason


SESSION = """
import sys, threading
from pathlib import Path
from harness import sandbox, topology
from harness.process import PeerProcess
sandbox.enter([sys.executable, __file__, *sys.argv[1:]])
PeerProcess(["sleep", sys.argv[1]], Path(sys.argv[2]), "peer")
print("STARTED", sandbox.mode(), flush=True)
threading.Event().wait()
"""


@inside
def test_killing_a_session_midway_leaves_no_process_behind(tmp_path: Path) -> None:
    """A session killed with SIGKILL takes every peer it started with it."""
    marker = f"{1000 + uuid.uuid4().int % 1000}.{uuid.uuid4().int % 10**6:06d}"
    script = tmp_path / "session.py"
    script.write_text(SESSION)
    env = {k: v for k, v in os.environ.items() if k not in (sandbox.ENV_MODE, sandbox.ENV_REASON)}
    session = PeerProcess([sys.executable, str(script), marker, str(tmp_path)], tmp_path, "session", env=env, cwd=ROOT)
    try:
        assert session.wait_for_line(re.compile("STARTED (\\S+)"), READY_TIMEOUT).group(1) == "netns"
        (peer_pid,) = [pid for pid in pids() if cmdline(pid) == ["sleep", marker]]
        peer = os.pidfd_open(peer_pid)
        try:
            os.kill(session.pid, signal.SIGKILL)
            readable, _, _ = select.select([peer], [], [], STOP_GRACE)
            assert readable, f"peer {peer_pid} outlived its killed session"
        finally:
            os.close(peer)
    finally:
        session.stop()


def pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def test_a_peer_that_ignores_sigterm_is_killed_after_the_grace(tmp_path: Path) -> None:
    stubborn = [
        sys.executable,
        "-c",
        "import signal, threading; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('up', flush=True); threading.Event().wait()",
    ]
    process = PeerProcess(stubborn, tmp_path, "stubborn")
    process.wait_for_line(re.compile("up"), READY_TIMEOUT)
    assert process.stop(grace=0.5) == -signal.SIGKILL
