"""`crosswire bench EXAMPLE`: latency percentiles and throughput for every client × server pair.

Every pair runs in one process of this bench, one after the other, on the
same machine, with the same messages, so the numbers compare fairly: Python
against Java, and socat where it is a peer. A round trip is timed by the
client itself (`rtt_ms` in its reply events); throughput is messages per
second over the client's whole run, its start-up (a JVM's, say) excluded.
A raw client (socat) is timed by the harness around it, so its round trips
also include the trip through its stdin and stdout pipes.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from harness.drivers import ProcessDriver, driver_for
from harness.manifest import Cell, Manifest
from harness.runs import ClientRun

DEFAULT_MESSAGES = 2000


@dataclass
class PairFigures:
    cell: Cell
    count: int
    p50: float
    p90: float
    p99: float
    per_second: float
    failures: int


def percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(share * (len(sorted_values) - 1))))
    return sorted_values[index]


def bench_messages(example: str, count: int) -> list[bytes]:
    """Small, valid messages of the example's kind (a line for line protocols, UTF-16 for tcp-utf)."""
    if example == "tcp-utf":
        return [f"message {n}".encode("utf-16-be") for n in range(count)]
    if example.startswith("calc"):
        return [f"+ {n} {n * 7}".encode() for n in range(count)]
    return [f"message {n}".encode() for n in range(count)]


def figures(cell: Cell, run: ClientRun) -> PairFigures:
    rtts = sorted(float(e["rtt_ms"]) for e in run.events if e.get("event") == "reply")
    failures = sum(1 for e in run.events if e.get("event") in ("timeout", "error"))
    span = sum(rtts) / 1000.0  # the client's time spent in exchanges, its start-up excluded
    return PairFigures(cell, len(rtts), percentile(rtts, 0.5) if rtts else 0.0, percentile(rtts, 0.9) if rtts else 0.0,
                       percentile(rtts, 0.99) if rtts else 0.0, len(rtts) / span if span else 0.0, failures)


def bench(manifest: Manifest, example: str, count: int, log_root: Path) -> list[PairFigures]:
    """Time every request/reply pair of `example`; group examples (multicast, board) have none."""
    if hasattr(importlib.import_module(manifest.examples[example].check), "run_cell"):
        return []
    driver = ProcessDriver()
    results = []
    cells = [c for c in manifest.cells([example]) if c.variant == "plain" and not c.involves_reference
             and not c.receivers]
    messages = bench_messages(example, count)
    for cell in cells:
        log_dir = log_root / example / f"{cell.client.name}--{cell.server.name}"
        log_dir.mkdir(parents=True, exist_ok=True)
        server = driver_for(cell.server, driver).start_server(cell.server, log_dir)
        try:
            run = driver_for(cell.client, driver).run_client(cell.client, server.address, messages, log_dir)
        finally:
            server.stop()
        results.append(figures(cell, run))
    return results


def table(results: list[PairFigures]) -> str:
    header = f"{'client -> server':28} {'n':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'msg/s':>9} {'lost':>5}"
    lines = [header, "-" * len(header)]
    for r in results:
        pair = f"{r.cell.client.name} -> {r.cell.server.name}"
        lines.append(
            f"{pair:28} {r.count:6d} {r.p50:8.3f} {r.p90:8.3f} {r.p99:8.3f} {r.per_second:9.0f} {r.failures:5d}"
        )
    if results:
        fastest = min(r.p50 for r in results if r.count) if any(r.count for r in results) else 0
        if fastest:
            lines.append("")
            lines.append("p50 relative to the fastest pair: " + ", ".join(
                f"{r.cell.client.name}->{r.cell.server.name} {r.p50 / fastest:.2f}x" for r in results if r.count))
    return "\n".join(lines)



def plot(results: list[PairFigures], example: str, path: Path) -> None:
    """A bar chart of p50, p90 and p99 per pair (log scale), saved as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    pairs = [f"{r.cell.client.name}\n→ {r.cell.server.name}" for r in results]
    figure, axes = plt.subplots(figsize=(max(6.0, 1.3 * len(pairs)), 4.5), dpi=120)
    width = 0.27
    for offset, (label, values) in enumerate(
        (("p50", [r.p50 for r in results]), ("p90", [r.p90 for r in results]), ("p99", [r.p99 for r in results]))
    ):
        axes.bar([i + (offset - 1) * width for i in range(len(pairs))], values, width, label=label)
    axes.set_xticks(range(len(pairs)), pairs, fontsize=8)
    axes.set_yscale("log")
    axes.set_ylabel("round trip (ms, log scale)")
    axes.set_title(f"crosswire bench {example}: {results[0].count if results else 0} messages per pair")
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
