"""Drivers: how a peer of the manifest is run for one matrix cell.

A driver starts a server (returning its address and, once stopped, the events
it printed) and runs a client over a list of messages (returning its events).
The examples' checks see only events, never how the peer ran, so a second
driver (Java peers called in-process through JPype, Python peers called as
functions) slots in without touching the matrix code.

- `ProcessDriver` runs the programs users run, as separate processes.
- `InprocDriver` runs the same programs in the harness's process: Python
  ones as functions, Java ones in the worker's JVM (harness/inproc.py).
  A peer with no in-process form (socat) still runs as a process.
- `BuiltinDriver` runs the harness's scripted reference peers in-process.

Every driver launches a peer through `launch`, which returns a running peer
with the interface of `PeerProcess` (lines, readiness waits, wait, stop), so
the group examples (multicast, board) run the same code under either.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from crosswire.protocol import benchwire
from harness import build, inproc, procnet, raw_client
from harness.manifest import Peer
from harness.process import PeerProcess
from harness.runs import Address, ClientRun, Event, ServerRun
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT, REPLY_TIMEOUT

LOOPBACK = "127.0.0.1"
__all__ = ["Address", "ClientRun", "Event", "ServerRun"]


class RunningPeer(Protocol):
    """A peer once launched: a `PeerProcess`, or an `InprocPeer` that behaves like one."""

    name: str
    command: list[str]
    stdout_lines: list[str]
    stderr_lines: list[str]

    @property
    def returncode(self) -> int | None: ...

    def wait_for_line(self, pattern: re.Pattern[str], timeout: float, stream: str = "stdout",
                      start: int = 0) -> re.Match[str]: ...

    def wait(self, timeout: float) -> int: ...

    def stop(self, grace: float = ...) -> int | None: ...

    @property
    def seconds(self) -> float: ...


class ServerHandle(Protocol):
    address: Address
    command: list[str] | None

    def stop(self) -> ServerRun: ...


class Driver(Protocol):
    name: str

    def start_server(self, peer: Peer, log_dir: Path) -> ServerHandle: ...

    def run_client(self, peer: Peer, server: Address, messages: list[bytes], log_dir: Path) -> ClientRun: ...


def parse_events(lines: list[str]) -> tuple[list[Event], list[str]]:
    """The JSON events among a peer's stdout lines, and complaints about the rest."""
    events, problems = [], []
    for line in lines:
        if not line.strip() or benchwire.parse_ready_line(line):
            continue
        try:
            events.append(benchwire.parse_event_line(line))
        except benchwire.BenchLineError as error:
            problems.append(str(error))
    return events, problems


@functools.cache
def java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    return shutil.which("java") or "java"


def expand(command: tuple[str, ...], **values: str) -> list[str]:
    """A manifest command with its {placeholders} filled in."""
    needs_jar = any("{jar}" in part for part in command)
    known = {
        "python": sys.executable,
        "java": java_executable(),
        "jar": str(build.ensure_jar()) if needs_jar and "jar" not in values else "",
        "timeout": f"{REPLY_TIMEOUT:g}",
        **values,
    }
    try:
        return [part.format(**known) for part in command]
    except KeyError as error:
        raise ValueError(f"unknown placeholder {error} in command {command}") from None


def peer_environment() -> dict[str, str]:
    """The environment of peer processes: Python peers import from this checkout."""
    env = dict(os.environ)
    python_dir = str(build.ROOT / "python")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [python_dir, env.get("PYTHONPATH")]))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


class Launcher(Protocol):
    """A driver that can start any peer of the manifest, as the group examples need."""

    name: str

    def launch(self, peer: Peer, log_dir: Path, name: str, values: dict[str, str],
               stdin_data: bytes | None = None, extra_args: Sequence[str] = ()) -> RunningPeer: ...


class ProcessServer:
    def __init__(self, process: RunningPeer, address: Address, peer: Peer) -> None:
        self.process = process
        self.address = address
        self.peer = peer
        self.command: list[str] | None = process.command

    def stop(self) -> ServerRun:
        status = self.process.stop()
        events, problems = parse_events(self.process.stdout_lines)
        return ServerRun(events, status, self.process.command, problems)


class ProcessDriver:
    """Each peer is the program a user would run, in its own process group."""

    name = "process"

    def launch(self, peer: Peer, log_dir: Path, name: str, values: dict[str, str],
               stdin_data: bytes | None = None, extra_args: Sequence[str] = ()) -> RunningPeer:
        """Start `peer`'s command with its placeholders filled from `values`."""
        command = expand(peer.command, **values) + list(extra_args)
        return PeerProcess(command, log_dir, name, stdin_data=stdin_data, env=peer_environment(), cwd=build.ROOT)

    def start_server(self, peer: Peer, log_dir: Path, extra_args: Sequence[str] = ()) -> ProcessServer:
        process = self.launch(peer, log_dir, "server", {"host": LOOPBACK, "port": "0"}, extra_args=extra_args)
        try:
            if peer.ready_socket == "udp":
                assert isinstance(process, PeerProcess), "a server found by its socket runs as a process"
                address = procnet.wait_for_udp_socket(process, READY_TIMEOUT)
            else:
                match = process.wait_for_line(re.compile(peer.ready), READY_TIMEOUT, peer.ready_stream)
                address = (match.group("host"), int(match.group("port")))
        except Exception:
            process.stop()
            raise
        return ProcessServer(process, address, peer)

    def run_client(self, peer: Peer, server: Address, messages: list[bytes], log_dir: Path) -> ClientRun:
        values = {"host": server[0], "port": str(server[1])}
        if peer.io == "raw":
            return raw_client.run(expand(peer.command, **values), messages, log_dir, peer_environment())
        stdin = "".join(benchwire.message_line(m) + "\n" for m in messages).encode("ascii")
        process = self.launch(peer, log_dir, "client", values, stdin_data=stdin)
        try:
            status: int | None = process.wait(CLIENT_TIMEOUT)
            problems: list[str] = []
        except Exception as error:  # noqa: BLE001 - a hung client is a finding, not a crash
            status, problems = None, [str(error)]
        events, parse_problems = parse_events(process.stdout_lines)
        return ClientRun(events, status, process.seconds, process.command, problems + parse_problems)


class InprocDriver(ProcessDriver):
    """The same programs called in-process: the fast inner loop (see harness/inproc.py)."""

    name = "inproc"

    def launch(self, peer: Peer, log_dir: Path, name: str, values: dict[str, str],
               stdin_data: bytes | None = None, extra_args: Sequence[str] = ()) -> RunningPeer:
        entry = inproc.entry_of(peer.command)
        if entry is None:
            return super().launch(peer, log_dir, name, values, stdin_data, extra_args)
        # The jar is the one the worker's JVM loaded; the command is for the logs and a replay.
        command = expand(peer.command, **{"jar": str(build.JAR), **values}) + list(extra_args)
        return inproc.InprocPeer(peer, command, entry, log_dir, name, stdin_data)


DRIVERS: dict[str, type[ProcessDriver]] = {"process": ProcessDriver, "inproc": InprocDriver}
DRIVER_CHOICES = (*DRIVERS, "both")


def drivers_named(choice: str) -> list[ProcessDriver]:
    """The drivers a `--driver` choice means: one, or both (process first)."""
    return [cls() for cls in DRIVERS.values()] if choice == "both" else [DRIVERS[choice]()]


class BuiltinDriver:
    """The harness's own reference peers (`builtin = "module:Class"` in the manifest)."""

    name = "builtin"

    @staticmethod
    def _load(peer: Peer) -> Any:
        module_name, _, class_name = peer.builtin.partition(":")
        return getattr(importlib.import_module(module_name), class_name)

    def start_server(self, peer: Peer, log_dir: Path) -> ServerHandle:
        server: ServerHandle = self._load(peer)(LOOPBACK, log_dir)
        return server

    def run_client(self, peer: Peer, server: Address, messages: list[bytes], log_dir: Path) -> ClientRun:
        run: ClientRun = self._load(peer)(log_dir).run(server, messages)
        return run


def driver_for(peer: Peer, driver: Driver) -> Driver:
    """Reference peers always run built in; every other peer through `driver`."""
    return BuiltinDriver() if peer.builtin else driver


def shell_line(command: list[str] | None) -> str:
    return shlex.join(command) if command else "(in-process)"
