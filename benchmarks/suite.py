"""Whole-suite wall time: `pytest -n auto` against `pytest -n 0`, interleaved, in one run.

Run with `.venv/bin/python benchmarks/suite.py [--rounds N] [-- PYTEST-ARGS…]`.
Each round runs both, the order alternating between rounds, so a machine
that gets busier mid-run slows both alike. A run that fails is reported, and
its time not counted. The target of the speed issue: `-n auto` at least 1.6x
faster than `-n 0` on two cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.6


def run(workers: str, extra: list[str]) -> float | None:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers, *extra]
    started = time.monotonic()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    summary = (completed.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"  pytest -n {workers:4} {seconds:7.1f} s   {summary}", flush=True)
    return seconds if completed.returncode == 0 else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (after --)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; {args.rounds} round(s), interleaved:")
    times: dict[str, list[float]] = {"auto": [], "0": []}
    for round_ in range(args.rounds):
        for workers in (("auto", "0") if round_ % 2 == 0 else ("0", "auto")):
            seconds = run(workers, args.pytest_args)
            if seconds is not None:
                times[workers].append(seconds)
    if not times["auto"] or not times["0"]:
        print("a run failed: no ratio")
        return 1
    auto, serial = statistics.median(times["auto"]), statistics.median(times["0"])
    ratio = serial / auto
    print(f"-n auto {auto:.1f} s, -n 0 {serial:.1f} s: {ratio:.2f}x "
          f"(target {TARGET_RATIO}x: {'met' if ratio >= TARGET_RATIO else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
