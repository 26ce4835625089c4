"""Time per matrix cell under each driver, side by side in one run.

Run with `.venv/bin/python benchmarks/cells.py [--rounds N] [--vectors N] [--example NAME …]`.
Every cell runs once per driver per round, the two drivers interleaved cell by
cell, so a machine that gets busier mid-run slows both alike. A warm-up round
runs first and is not counted: it starts the worker's JVM and loads every
module, which a test session pays once. Cells run one at a time, as under
`pytest -n 0`. The targets of the speed issue are printed with each figure.

`--vectors 1` runs every cell with only its first vector: what is left is the
fixed cost of a cell under each driver (start the server, run the client,
stop, write the log bundle), apart from the work its vectors make (456
calculator requests; the fragmenting proxy's deliberate delays).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from harness import build, jvm, manifest, sandbox
from harness.drivers import InprocDriver, ProcessDriver
from harness.manifest import Cell
from harness.runner import run_cell

INPROC_TARGET_MS = 5.0
PROCESS_JAVA_CLIENT_TARGET_MS = 150.0


def median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def kind(cell: Cell) -> str:
    """The row a cell counts in: by the client's language, group examples apart."""
    if cell.receivers or cell.example == "board":
        return f"{cell.example} (group)"
    return f"{cell.client.language} client"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--vectors", type=int, default=0, help="only each cell's first N vectors (0: all)")
    parser.add_argument("--example", action="append", help="only this example (repeatable)")
    args = parser.parse_args()
    if args.vectors:
        every_vector = manifest.Example.vectors
        manifest.Example.vectors = lambda self: every_vector(self)[: args.vectors]  # type: ignore[method-assign]
    sandbox.enter([sys.executable, *sys.argv])
    build.ensure_jar()
    jvm.start()
    loaded = manifest.load()
    cells = loaded.cells(args.example)
    drivers = [ProcessDriver(), InprocDriver()]
    seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
    statuses: dict[tuple[str, str], set[str]] = defaultdict(set)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(args.rounds + 1):
            for cell in cells:
                for driver in drivers:
                    began = time.perf_counter()
                    result = run_cell(cell, loaded, driver, Path(scratch))
                    took = time.perf_counter() - began  # the result's own figure is rounded to ms
                    if round_ > 0 and result.status != "skip":
                        seconds[(cell.id, driver.name)].append(took)
                        statuses[(cell.id, driver.name)].add(result.status)
    print(f"{len(cells)} cells ({f'first {args.vectors} vector(s) each' if args.vectors else 'all vectors'}), "
          f"{args.rounds} rounds after a warm-up, both drivers interleaved "
          f"({time.monotonic() - started:.0f} s); median ms per cell:\n")
    rows: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (cell_id, driver_name), values in seconds.items():
        cell = next(c for c in cells if c.id == cell_id)
        rows[kind(cell)][driver_name].append(statistics.median(values))
        rows[f"variant {cell.variant}"][driver_name].append(statistics.median(values))
        rows["all cells"][driver_name].append(statistics.median(values))
    print(f"  {'cells':28} {'n':>4} {'process':>9} {'inproc':>9} {'ratio':>7}")
    for name in sorted(rows, key=lambda n: (n == "all cells", n.startswith("variant"), n)):
        process, inprocess = median_ms(rows[name]["process"]), median_ms(rows[name]["inproc"])
        print(f"  {name:28} {len(rows[name]['process']):4} {process:9.1f} {inprocess:9.1f} "
              f"{process / inprocess:6.1f}x")
    inproc_all = median_ms(rows["all cells"]["inproc"])
    java_client = [s for (cell_id, d), v in seconds.items() if d == "process"
                   for s in [statistics.median(v)]
                   if next(c for c in cells if c.id == cell_id).client.language == "java"
                   and not kind(next(c for c in cells if c.id == cell_id)).endswith("(group)")]
    print()
    print(f"target: in-process cells, median < {INPROC_TARGET_MS:g} ms: {inproc_all:.1f} ms "
          f"{'met' if inproc_all < INPROC_TARGET_MS else 'NOT met'}")
    java_ms = median_ms(java_client)
    print(f"target: process cells with a Java client, median < {PROCESS_JAVA_CLIENT_TARGET_MS:g} ms: "
          f"{java_ms:.1f} ms {'met' if java_ms < PROCESS_JAVA_CLIENT_TARGET_MS else 'NOT met'}")
    disagreeing = sorted({cell_id for (cell_id, _) in statuses
                          if statuses[(cell_id, "process")] != statuses[(cell_id, "inproc")]})
    flaky = sorted({f"{c} ({d})" for (c, d), s in statuses.items() if len(s) > 1})
    print(f"verdicts: {len(disagreeing)} cells where the drivers disagree {disagreeing or ''}; "
          f"{len(flaky)} whose verdict changed between rounds {flaky or ''}")
    slowest = sorted(((statistics.median(v), c, d) for (c, d), v in seconds.items()), reverse=True)[:5]
    print("slowest: " + "; ".join(f"{c} {d} {s * 1000:.0f} ms" for s, c, d in slowest))
    return 1 if disagreeing or flaky else 0


if __name__ == "__main__":
    sys.exit(main())
