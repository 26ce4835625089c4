"""`crosswire demo`: one cell run live, every side's output side by side, then a verdict.

The cell runs exactly as in the matrix (same runner, sandbox and checks); this
module only watches its log directory while it runs and shows each peer's
lines as they appear, timestamped, one column per peer, with bench events
turned into short readable text.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from harness.process import TIMELINE
from harness.runner import CellResult

REFRESH = 0.1  # how often the log files are looked at again: a display, not a readiness wait


def preview(hex_text: str, limit: int = 24) -> str:
    data = bytes.fromhex(hex_text)
    text = data.decode("utf-8", "replace")
    shown = "".join(ch if ch.isprintable() else "·" for ch in text[:limit])
    return f'"{shown}{"…" if len(text) > limit else ""}" ({len(data)} B)'


def humanize(line: str) -> str:
    """A bench event as a short phrase; any other line as it is."""
    if not line.startswith("{"):
        return line
    try:
        event = json.loads(line)
    except json.JSONDecodeError:  # a long line, cut short in the timeline: name what it was
        name = re.search(r'"event":"(\w+)"', line)
        size = re.search(r'"len":(\d+)', line)
        return f"{name.group(1) if name else '?'} ({size.group(1) if size else 'many'} B)"
    name = event.pop("event", "?")
    if "hex" in event:
        event["data"] = preview(event.pop("hex"))
        event.pop("len", None)
    if "rtt_ms" in event:
        event["rtt"] = f"{float(event.pop('rtt_ms')):.2f} ms"
    return f"{name} " + " ".join(f"{k}={v}" for k, v in event.items())


def watch(log_dir: Path, run: Callable[[], CellResult], emit: Callable[[str, float, str], None]) -> CellResult:
    """Run the cell on a thread; pass each peer's lines to `emit(peer, seconds, text)` as they appear.

    The lines come from the cell's timeline (harness/process.py), stamped when the harness read
    them, so they show in the order things happened, whichever peer printed them.
    """
    outcome: list[CellResult] = []
    worker = threading.Thread(target=lambda: outcome.append(run()), daemon=True)
    timeline = log_dir / TIMELINE
    started = time.time()
    worker.start()
    offset, pending = 0, b""
    while True:
        finished = not worker.is_alive()
        if timeline.is_file():
            if timeline.stat().st_size < offset:  # the runner cleared the old log directory
                offset, pending = 0, b""
            with timeline.open("rb") as log:
                log.seek(offset)
                data = log.read()
            offset += len(data)
            *complete, pending = (pending + data).split(b"\n")
            for raw in complete:
                entry = json.loads(raw)
                if entry["t"] < started:
                    continue  # an earlier run's, not yet cleared away by this one
                if entry["stream"] == "out":
                    emit(entry["peer"], entry["t"] - started, humanize(entry["line"]))
        if finished:
            break
        worker.join(REFRESH)
    return outcome[0]


class SideBySide:
    """Prints each line in its peer's column: `[  0.123] server │ client`."""

    def __init__(self, width: int, names: list[str], console: Console) -> None:
        self.names = names
        self.console = console
        self.column_width = max(20, (width - 12) // max(1, len(names)) - 3)
        header = " " * 10 + " │ ".join(name.ljust(self.column_width) for name in names)
        self.print(header)
        self.print("─" * min(width, len(header) + 4))

    def print(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def emit(self, name: str, when: float, text: str) -> None:
        if name not in self.names:
            self.names.append(name)
        cells = [text[: self.column_width].ljust(self.column_width) if n == name else " " * self.column_width
                 for n in self.names]
        self.print(f"[{when:7.3f}] " + " │ ".join(cells))


def verdict(result: CellResult) -> str:
    rtt = f", median round trip {result.rtt_ms_median:.2f} ms" if result.rtt_ms_median is not None else ""
    return f"{result.status.upper()}: {result.id}: {result.detail}{rtt} (logs: {result.log_dir})"
