"""Drivers: how a peer of the manifest is run for one matrix cell.

A driver starts a server (returning its address and, once stopped, the events
it printed) and runs a client over a list of messages (returning its events).
The examples' checks see only events, never how the peer ran, so a second
driver (Java peers called in-process through JPype, Python peers called as
functions) slots in without touching the matrix code.

- `ProcessDriver` runs the programs users run, as separate processes.
- `BuiltinDriver` runs the harness's scripted reference peers in-process.
"""

from __future__ import annotations

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
from harness import build, procnet, raw_client
from harness.manifest import Peer
from harness.process import PeerProcess
from harness.runs import Address, ClientRun, Event, ServerRun
from harness.timeouts import CLIENT_TIMEOUT, READY_TIMEOUT, REPLY_TIMEOUT

LOOPBACK = "127.0.0.1"
__all__ = ["Address", "ClientRun", "Event", "ServerRun"]


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
        "jar": str(build.ensure_jar()) if needs_jar else "",
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


class ProcessServer:
    def __init__(self, process: PeerProcess, address: Address, peer: Peer) -> None:
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

    def start_server(self, peer: Peer, log_dir: Path, extra_args: Sequence[str] = ()) -> ProcessServer:
        command = expand(peer.command, host=LOOPBACK, port="0") + list(extra_args)
        process = PeerProcess(command, log_dir, "server", env=peer_environment(), cwd=build.ROOT)
        try:
            if peer.ready_socket == "udp":
                address = procnet.wait_for_udp_socket(process, READY_TIMEOUT)
            else:
                match = process.wait_for_line(re.compile(peer.ready), READY_TIMEOUT, peer.ready_stream)
                address = (match.group("host"), int(match.group("port")))
        except Exception:
            process.stop()
            raise
        return ProcessServer(process, address, peer)

    def run_client(self, peer: Peer, server: Address, messages: list[bytes], log_dir: Path) -> ClientRun:
        command = expand(peer.command, host=server[0], port=str(server[1]))
        if peer.io == "raw":
            return raw_client.run(command, messages, log_dir, peer_environment())
        stdin = "".join(benchwire.message_line(m) + "\n" for m in messages).encode("ascii")
        process = PeerProcess(
            command, log_dir, "client", stdin_data=stdin, env=peer_environment(), cwd=build.ROOT
        )
        try:
            status: int | None = process.wait(CLIENT_TIMEOUT)
            problems: list[str] = []
        except Exception as error:  # noqa: BLE001 - a hung client is a finding, not a crash
            status, problems = None, [str(error)]
        events, parse_problems = parse_events(process.stdout_lines)
        return ClientRun(events, status, process.seconds, command, problems + parse_problems)


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
