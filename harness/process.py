"""Processes the bench starts: own process group, drained output, always stopped.

Each peer runs in a new session (so its whole process group can be signalled),
with stdout and stderr drained by threads into its log files, so a chatty peer
never blocks on a full pipe. `wait_for_line` waits on a condition the reader
thread signals: readiness is the server's own line, never a sleep.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Protocol

from harness.timeouts import STOP_GRACE

TIMELINE = "timeline.jsonl"
_timeline_lock = threading.Lock()


def record_timeline(path: Path, peer: str, stream: str, line: str, at: float | None = None) -> None:
    """Append one line of a peer's output, with the time it was read, to the cell's shared timeline.

    `crosswire demo` replays it live in the order things happened, across all of a cell's peers.
    """
    record_timeline_lines(path, [(time.time() if at is None else at, peer, stream, line)])


def record_timeline_lines(path: Path, lines: Sequence[tuple[float, str, str, str]]) -> None:
    """Append lines (time, peer, stream, text) to the cell's timeline in one write."""
    entries = "".join(json.dumps({"t": t, "peer": peer, "stream": stream, "line": line[:2000]}) + "\n"
                      for t, peer, stream, line in lines)
    with _timeline_lock, path.open("a", encoding="utf-8") as timeline:
        timeline.write(entries)


def wait_for_match(changed: threading.Condition, lines: list[str], pattern: re.Pattern[str], timeout: float,
                   start: int, name: str, exit_status_by: Callable[[float], int | None]) -> re.Match[str]:
    """The first of `lines` (from `start` on) matching `pattern`, waiting on `changed` as lines come.

    `exit_status_by(deadline)` is the peer's exit status once it has ended, None while it runs.
    Raises PeerProcessError if the peer ends first or time runs out.
    """
    deadline = time.monotonic() + timeout
    seen = start
    with changed:
        while True:
            for line in lines[seen:]:
                match = pattern.search(line)
                if match:
                    return match
            seen = len(lines)
            status = exit_status_by(deadline)
            if status is not None:
                raise PeerProcessError(f"{name} exited with status {status} "
                                       f"before printing a line matching {pattern.pattern!r}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PeerProcessError(f"{name} printed no line matching {pattern.pattern!r} within {timeout:.0f} s")
            changed.wait(remaining)


class Stoppable(Protocol):
    def stop(self) -> int | None: ...


class PeerProcessError(RuntimeError):
    """A peer process did not do what the bench needed (start, get ready, stop)."""


class PeerProcess:
    """One running program, its logs, and the lines it printed so far."""

    def __init__(
        self,
        command: Sequence[str],
        log_dir: Path,
        name: str,
        stdin_data: bytes | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        interactive: bool = False,
    ) -> None:
        """`stdin_data` is written and stdin closed; `interactive` keeps stdin open for `send()`."""
        self.command = list(command)
        self.name = name
        self.stdout_path = log_dir / f"{name}.out"
        self.timeline_path = log_dir / TIMELINE
        self.stderr_path = log_dir / f"{name}.err"
        self.stdout_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self._changed = threading.Condition()
        self._closed_streams = 0
        self.started_at = time.monotonic()
        self.ended_at: float | None = None
        self.process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE if stdin_data is not None or interactive else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )
        self._readers = [
            threading.Thread(
                target=self._drain, args=(self.process.stdout, self.stdout_path, self.stdout_lines), daemon=True
            ),
            threading.Thread(
                target=self._drain, args=(self.process.stderr, self.stderr_path, self.stderr_lines), daemon=True
            ),
        ]
        if stdin_data is not None:
            self._readers.append(
                threading.Thread(target=self._feed, args=(stdin_data,), daemon=True)
            )
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def send(self, data: bytes) -> None:
        """Write to an interactive peer's stdin."""
        stdin = self.process.stdin
        assert stdin is not None, "started without interactive=True"
        stdin.write(data)
        stdin.flush()

    def _feed(self, data: bytes) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            stdin.write(data)
        except (BrokenPipeError, OSError):
            pass  # the peer exited early; its exit status and output tell why
        finally:
            try:
                stdin.close()
            except OSError:
                pass

    def _drain(self, stream: IO[bytes] | None, path: Path, lines: list[str]) -> None:
        assert stream is not None
        with path.open("wb") as log:
            for raw in stream:
                log.write(raw)
                log.flush()
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                record_timeline(self.timeline_path, path.stem, path.suffix[1:], line)
                with self._changed:
                    lines.append(line)
                    self._changed.notify_all()
        with self._changed:
            self._closed_streams += 1
            self._changed.notify_all()

    def wait_for_line(
        self, pattern: re.Pattern[str], timeout: float, stream: str = "stdout", start: int = 0
    ) -> re.Match[str]:
        """The first line of `stream` (from line `start` on) matching `pattern`.

        Raises PeerProcessError if the peer exits first or time runs out.
        """
        lines = self.stderr_lines if stream == "stderr" else self.stdout_lines
        return wait_for_match(self._changed, lines, pattern, timeout, start, self.name, self._exit_status_by)

    def _exit_status_by(self, deadline: float) -> int | None:
        """The exit status once both pipes are closed and the process is reaped by `deadline`; else None."""
        if self._closed_streams < 2:
            return None
        try:
            return self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return None

    def wait(self, timeout: float) -> int:
        """Exit status; on timeout the process group is stopped and PeerProcessError raised."""
        try:
            status = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise PeerProcessError(f"{self.name} did not finish within {timeout:.0f} s") from None
        self._finish()
        return status

    def stop(self, grace: float = STOP_GRACE) -> int:
        """SIGTERM the whole process group, SIGKILL it after `grace`; the exit status."""
        if self.process.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait(grace)
        # Nothing is signalled after the leader is reaped: its pid, and so the
        # group id, may already belong to someone else. Stragglers a peer forked
        # die with the sandbox's PID namespace at the end of the session.
        self._finish()
        return self.process.returncode

    def _signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass

    def _finish(self) -> None:
        if self.ended_at is None:
            self.ended_at = time.monotonic()
        for reader in self._readers:
            reader.join(STOP_GRACE)

    @property
    def seconds(self) -> float:
        end = self.ended_at if self.ended_at is not None else time.monotonic()
        return end - self.started_at


def stop_all(processes: Sequence[Stoppable], on_error: Callable[[Exception], None] | None = None) -> None:
    """Stop every process, even if stopping one of them fails."""
    for process in processes:
        try:
            process.stop()
        except Exception as error:  # noqa: BLE001 - keep stopping the others
            if on_error is not None:
                on_error(error)
