"""Peers run inside the harness's own process: Python programs as functions, Java ones in its JVM.

A manifest command `{python} -m MODULE ARGS…` is run as `MODULE.run(ARGS, console)`
on a thread; `{java} -cp {jar} CLASS ARGS…` as `CLASS.run(ARGS, console)` on a
daemon thread of the worker's one JVM (`crosswire.bench.InProcess`, through
JPype). Either way the peer gets the same arguments, the same stdin bytes, and
its output lines are waited on exactly as a process's are, and logged to the
same files; a stop request takes the place of SIGTERM. Any other command
(socat) has no in-process form, and the driver runs it as a process.

The log files are written once the program ends, not line by line: opening
and appending to files is most of what an in-process cell would otherwise
cost. (`crosswire demo`, which shows the timeline live, uses processes.)
"""

from __future__ import annotations

import importlib
import io
import re
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, cast

from crosswire.peerutil import Console, Stop
from harness import jvm
from harness.manifest import Peer
from harness.process import TIMELINE, PeerProcessError, record_timeline_lines, wait_for_match
from harness.timeouts import STOP_GRACE


@dataclass(frozen=True)
class Entry:
    """What a manifest command calls: a Python module or a Java class, and where its arguments start."""

    language: str  # "python" or "java"
    target: str  # module or class name
    first_arg: int  # index in the command of its first argument


def entry_of(command: tuple[str, ...]) -> Entry | None:
    """The in-process form of a manifest command, or None if it has none."""
    if len(command) >= 3 and command[0] == "{python}" and command[1] == "-m":
        return Entry("python", command[2], 3)
    if len(command) >= 4 and command[0] == "{java}" and command[1] in ("-cp", "-classpath") and command[2] == "{jar}":
        return Entry("java", command[3], 4)
    return None


def runs_inproc(peer: Peer) -> bool:
    return bool(peer.command) and entry_of(peer.command) is not None


class LineWriter(io.TextIOBase):
    """A text stream that hands each complete line to `emit`; `close` hands over the last, unfinished one."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        super().__init__()
        self._emit = emit
        self._pending = ""
        self._lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._emit(line)
        return len(text)

    def close(self) -> None:
        with self._lock:
            rest, self._pending = self._pending, ""
        if rest:
            self._emit(rest)
        super().close()


class InprocPeer:
    """A program running in-process, with the interface of `harness.process.PeerProcess`."""

    def __init__(self, peer: Peer, command: list[str], entry: Entry, log_dir: Path, name: str,
                 stdin_data: bytes | None) -> None:
        self.command = command
        self.name = name
        self.stdout_path = log_dir / f"{name}.out"
        self.stderr_path = log_dir / f"{name}.err"
        self.timeline_path = log_dir / TIMELINE
        self.stdout_lines: list[str] = []
        self.stderr_lines: list[str] = []
        self.returncode: int | None = None
        self._changed = threading.Condition()
        self._timeline: list[tuple[float, str, str, str]] = []
        self._logged = False
        self.started_at = time.monotonic()
        self.ended_at: float | None = None
        args = command[entry.first_arg:]
        stdin = stdin_data or b""
        self._program: _Program = (
            _PythonProgram(entry.target, args, stdin, self) if entry.language == "python"
            else _JavaProgram(entry.target, args, stdin, self)
        )

    # Called from the program's threads, for each line it prints.
    def line(self, stream: str, text: str) -> None:
        with self._changed:
            (self.stdout_lines if stream == "out" else self.stderr_lines).append(text)
            self._timeline.append((time.time(), self.name, stream, text))
            self._changed.notify_all()

    def ended(self, status: int) -> None:
        with self._changed:
            self.returncode = status
            self.ended_at = time.monotonic()
            self._changed.notify_all()

    def wait_for_line(self, pattern: re.Pattern[str], timeout: float, stream: str = "stdout",
                      start: int = 0) -> re.Match[str]:
        lines = self.stderr_lines if stream == "stderr" else self.stdout_lines
        return wait_for_match(self._changed, lines, pattern, timeout, start, self.name, lambda _: self.returncode)

    def _join(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.returncode is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    def wait(self, timeout: float) -> int:
        """Exit status; on timeout the program is stopped and PeerProcessError raised."""
        if not self._join(timeout):
            self.stop()
            raise PeerProcessError(f"{self.name} did not finish within {timeout:.0f} s")
        self._finish()
        assert self.returncode is not None
        return self.returncode

    def stop(self, grace: float = STOP_GRACE) -> int | None:
        """Request a stop (SIGTERM's stand-in); the exit status, or None if it did not end within `grace`."""
        if self.returncode is None:
            self._program.request_stop()
            if not self._join(grace):
                # A thread cannot be killed: say so, and leave it (a daemon) behind.
                self.line("err", f"crosswire: {self.name} did not stop within {grace:g} s of the request")
        self._finish()
        return self.returncode

    def _finish(self) -> None:
        """Once the program ended: its thread joined (it reports its status just before it ends), logs written."""
        if self.returncode is not None:
            self._program.release()
        with self._changed:
            if self._logged:
                return
            self._logged = True
            out, err, timeline = list(self.stdout_lines), list(self.stderr_lines), list(self._timeline)
        self.stdout_path.write_text("".join(line + "\n" for line in out), encoding="utf-8")
        if err:
            self.stderr_path.write_text("".join(line + "\n" for line in err), encoding="utf-8")
        if timeline:
            record_timeline_lines(self.timeline_path, timeline)

    @property
    def seconds(self) -> float:
        end = self.ended_at if self.ended_at is not None else time.monotonic()
        return end - self.started_at


class _Program:
    def request_stop(self) -> None: ...

    def release(self) -> None:
        """Join the program's thread, which has reported its exit status; free what it held."""


class _PythonProgram(_Program):
    """`module.run(args, console)` on a daemon thread of this process."""

    def __init__(self, module_name: str, args: list[str], stdin: bytes, peer: InprocPeer) -> None:
        self.stop = Stop()
        self.console = Console(
            io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
            cast(TextIO, LineWriter(lambda text: peer.line("out", text))),
            cast(TextIO, LineWriter(lambda text: peer.line("err", text))),
            self.stop,
        )
        run = importlib.import_module(module_name).run
        self.thread = threading.Thread(target=self._run, args=(run, args, peer), name=f"inproc {module_name}",
                                       daemon=True)
        self.thread.start()

    def _run(self, run: Callable[[list[str], Console], int], args: list[str], peer: InprocPeer) -> None:
        try:
            status = run(args, self.console)
        except SystemExit as exit_:  # argparse's usage errors and --help
            status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException:  # noqa: BLE001 - what an uncaught exception does to a process: a trace, status 1
            self.console.stderr.write(traceback.format_exc())
            status = 1
        self.console.stdout.close()
        self.console.stderr.close()
        peer.ended(status)

    def request_stop(self) -> None:
        self.stop.set()

    def release(self) -> None:
        self.thread.join(STOP_GRACE)
        if not self.thread.is_alive():
            self.stop.close()


class _JavaProgram(_Program):
    """`CLASS.run(args, console)` on a daemon thread of the worker's JVM."""

    def __init__(self, class_name: str, args: list[str], stdin: bytes, peer: InprocPeer) -> None:
        jpype = jvm.attach()
        sinks = jvm.line_sinks()
        # The program's own thread hands over its last lines, then its status (peer.ended).
        self.running: Any = jpype.JClass("crosswire.bench.InProcess").start(
            class_name, jpype.JArray(jpype.JString)(args), jpype.JArray(jpype.JByte)(stdin),
            sinks(lambda text: peer.line("out", text)), sinks(lambda text: peer.line("err", text)),
            jvm.exit_listeners()(peer.ended),
        )

    def request_stop(self) -> None:
        jvm.attach()
        self.running.requestStop()

    def release(self) -> None:
        jvm.attach()
        self.running.await_(int(STOP_GRACE * 1000))
