"""The worker's one JVM (JPype), with the project jar on its class path.

JPype cannot restart a JVM, so it is started once per process, on first use
(one per xdist worker), and left for JPype to shut down at exit. Everything
Java the harness runs in-process runs on daemon threads, so a program that
never ends cannot keep the process from exiting.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from harness import build

_lock = threading.Lock()


def start() -> Any:
    """JPype, with the JVM started (the jar is built first if the Java sources changed).

    The first call must come from the main thread: the thread that starts the
    JVM stays attached to it as a non-daemon, and the JVM waits for it at exit,
    which a pool thread that has ended would make a hang.
    """
    import jpype  # type: ignore[import-untyped]

    with _lock:
        if not jpype.isJVMStarted():
            if threading.current_thread() is not threading.main_thread():
                raise RuntimeError("start the JVM from the main thread first (harness.jvm.start())")
            jpype.startJVM(classpath=[str(build.ensure_jar())], convertStrings=False)
    return jpype


def attach() -> Any:
    """JPype, with the calling thread attached to the JVM as a daemon.

    JPype attaches a thread on its first Java call, as a thread the JVM waits
    for at exit; the harness's worker threads (the CLI's pool) attach as
    daemons first, so they can never hold the process at exit.
    """
    jpype = start()
    thread = jpype.JClass("java.lang.Thread")
    if not thread.isAttached():
        thread.attachAsDaemon()
    return jpype


@functools.cache
def exit_listeners() -> Callable[[Callable[[int], None]], Any]:
    """A factory of `java.util.function.IntConsumer`s that call a Python function with the status."""
    jpype = start()

    @jpype.JImplements("java.util.function.IntConsumer")
    class PythonExitListener:
        def __init__(self, ended: Callable[[int], None]) -> None:
            self.ended = ended

        @jpype.JOverride  # type: ignore[untyped-decorator]
        def accept(self, status: Any) -> None:
            self.ended(int(status))

    return PythonExitListener


@functools.cache
def line_sinks() -> Callable[[Callable[[str], None]], Any]:
    """A factory of `crosswire.bench.LineSink`s that call a Python function with each line."""
    jpype = start()

    @jpype.JImplements("crosswire.bench.LineSink")
    class PythonLineSink:
        def __init__(self, emit: Callable[[str], None]) -> None:
            self.emit = emit

        @jpype.JOverride  # type: ignore[untyped-decorator]
        def line(self, text: Any) -> None:
            self.emit(str(text))

    return PythonLineSink
