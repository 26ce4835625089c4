"""How long each server takes from exec to its readiness line: Python against the JVM, side by side.

Run with `benchmarks/run` (or `.venv/bin/python benchmarks/startup.py`). Every
server of the manifest is started ROUNDS times, interleaved, so a machine
that gets busier mid-run slows every language alike; medians are printed with
each one's ratio to the fastest.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from harness import build, manifest, sandbox
from harness.drivers import ProcessDriver

ROUNDS = 10


def main() -> int:
    sandbox.enter([sys.executable, *sys.argv])
    build.ensure_jar()
    loaded = manifest.load()
    servers = [p for p in loaded.peers if p.role == "server" and not p.builtin and p.language in ("python", "java")]
    seconds: dict[str, list[float]] = {f"{p.example} {p.name}": [] for p in servers}
    driver = ProcessDriver()
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(ROUNDS):
            for peer in servers:
                started = time.perf_counter()
                server = driver.start_server(peer, Path(scratch))
                seconds[f"{peer.example} {peer.name}"].append(time.perf_counter() - started)
                server.stop()
    medians = {name: statistics.median(values) * 1000 for name, values in seconds.items()}
    fastest = min(medians.values())
    print(f"start to READY, median of {ROUNDS} (ms), and ratio to the fastest:")
    for name, median in medians.items():
        print(f"  {name:28} {median:8.1f}  {median / fastest:5.1f}x")
    by_language = {lang: statistics.median([m for n, m in medians.items() if n.endswith(" " + lang)])
                   for lang in ("python", "java")}
    print(f"JVM start against Python start (median over servers): "
          f"{by_language['java']:.0f} ms / {by_language['python']:.0f} ms = "
          f"{by_language['java'] / by_language['python']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
