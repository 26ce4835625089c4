"""Runs one matrix cell: start the server, run the client, check, always clean up.

Every cell leaves a log bundle (`cell.json` plus both sides' output) under
the log root (under `inproc/` for the in-process driver), with a one-line
command that replays the cell by hand. There are no retries: a cell that fails
sometimes is a bug to find. Run under both drivers (`run_cell_with`), a cell
passes only if both give the same verdict.
"""

from __future__ import annotations

import importlib
import json
import shutil
import statistics
import time
import traceback
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.build import ROOT
from harness.drivers import ClientRun, Driver, ProcessDriver, driver_for, shell_line
from harness.faults import FragmentingProxy, seed_for
from harness.manifest import Cell, Example, Manifest, Vector

DEFAULT_LOG_ROOT = ROOT / ".crosswire" / "logs"
STATUSES = ("pass", "fail", "xfail", "skip")


@dataclass
class CellResult:
    example: str
    client: str
    server: str
    variant: str
    status: str  # one of STATUSES
    rtt_ms_median: float | None
    detail: str
    id: str = ""
    log_dir: str = ""
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    driver: str = "process"  # "process", "inproc", or "both"
    verdicts: dict[str, str] = field(default_factory=dict)  # each driver's status, when run under both
    driver_seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def cell_dir_name(cell: Cell) -> str:
    return cell.id.replace("[", "/").replace("]", "").replace("->", "--").replace(":", "-")


def replay_command(cell: Cell, driver: Driver) -> str:
    return (
        f"crosswire run {cell.example} --client {cell.client.name} "
        f"--server {cell.server.name} --variant {cell.variant} --driver {driver.name}"
    )


def log_dir_for(cell: Cell, driver: Driver, log_root: Path) -> Path:
    """A cell's log bundle: the process driver's at the top, another driver's under its name."""
    return log_root / cell_dir_name(cell) if driver.name == "process" else log_root / driver.name / cell_dir_name(cell)


def run_cell_with(cell: Cell, manifest: Manifest, drivers: Sequence[Driver],
                  log_root: Path = DEFAULT_LOG_ROOT) -> CellResult:
    """The cell under each driver; with more than one, a verdict they all share, or a failure saying they differ."""
    results = [run_cell(cell, manifest, driver, log_root) for driver in drivers]
    if len(results) == 1:
        return results[0]
    first = results[0]
    verdicts = {driver.name: result.status for driver, result in zip(drivers, results, strict=True)}
    combined = replace(first, driver="both", verdicts=verdicts,
                       seconds=round(sum(r.seconds for r in results), 3),
                       driver_seconds={d.name: r.seconds for d, r in zip(drivers, results, strict=True)})
    if len(set(verdicts.values())) == 1:
        return combined
    said = ", ".join(f"{name} {status}" for name, status in verdicts.items())
    problems = [f"the drivers disagree: {said}"]
    for driver, result in zip(drivers, results, strict=True):
        problems += [f"{driver.name}: {p}" for p in result.problems or [result.detail]]
        problems.append(f"{driver.name} logs: {result.log_dir}")
    return replace(combined, status="fail", detail=problems[0], problems=problems)


def run_cell(cell: Cell, manifest: Manifest, driver: Driver | None = None,
             log_root: Path = DEFAULT_LOG_ROOT) -> CellResult:
    driver = driver or ProcessDriver()
    example = manifest.examples[cell.example]
    log_dir = log_dir_for(cell, driver, log_root)
    shutil.rmtree(log_dir, ignore_errors=True)
    log_dir.mkdir(parents=True)
    check = importlib.import_module(example.check)
    shared = cell.client.capabilities & cell.server.capabilities
    vectors = [v for v in example.vectors() if v.requires <= shared]
    started = time.monotonic()
    skipped = ""
    try:
        if hasattr(check, "run_cell"):  # a group example runs its own cells
            problems, rtts = check.run_cell(cell, vectors, log_dir, driver)
        else:
            problems, rtts = run_pair(cell, example, check, vectors, driver, log_dir)
    except Exception as error:  # noqa: BLE001 - any failure is this cell's verdict
        if type(error).__name__ == "Skip":
            skipped, problems = str(error), []
        else:
            problems = [f"{type(error).__name__}: {error}"]
            (log_dir / "harness.err").write_text(traceback.format_exc())
        rtts = []
    seconds = time.monotonic() - started

    status = "fail" if problems else ("skip" if skipped else "pass")
    detail = problems[0] if problems else (skipped or f"{len(vectors)} vectors")
    expected = manifest.expected_failure(cell)
    if expected is not None and not skipped:
        if problems:
            status, detail = "xfail", f"expected: {expected.reason} (got: {problems[0]})"
        else:
            status, detail = "fail", f"unexpected pass; expected failure was: {expected.reason}"
    result = CellResult(
        example=cell.example, client=cell.client.name, server=cell.server.name,
        variant=cell.variant, status=status,
        rtt_ms_median=round(statistics.median(rtts), 3) if rtts else None,
        detail=detail, id=cell.id, log_dir=str(log_dir), seconds=round(seconds, 3),
        problems=problems, driver=driver.name,
    )
    bundle = {
        "result": result.to_json(),
        "driver": driver.name,
        "replay": replay_command(cell, driver),
        "logs": sorted(path.name for path in log_dir.iterdir()),
        "peers": json.loads((log_dir / "peers.json").read_text()) if (log_dir / "peers.json").is_file() else None,
        "vectors": [v.name for v in vectors],
        "proxy": {"kind": example.variants[cell.variant].proxy, "seed": seed_for(cell.id)}
        if example.variants[cell.variant].proxy else None,
    }
    (log_dir / "cell.json").write_text(json.dumps(bundle, indent=2) + "\n")
    return result


def run_pair(cell: Cell, example: Example, check: Any, vectors: list[Vector], driver: Driver,
             log_dir: Path) -> tuple[list[str], list[float]]:
    """A client × server cell: start the server (behind a proxy for some variants), run the client, check."""
    server = driver_for(cell.server, driver).start_server(cell.server, log_dir)
    proxy = None
    client_run: ClientRun | None = None
    try:
        address = server.address
        if example.variants[cell.variant].proxy == "fragmenting":
            proxy = FragmentingProxy(server.address, seed_for(cell.id))
            address = proxy.address
        client_run = driver_for(cell.client, driver).run_client(
            cell.client, address, [v.payload for v in vectors], log_dir
        )
    finally:
        proxy_errors = []
        if proxy is not None:
            proxy.close()
            proxy_errors = [f"fragmenting proxy: {error}" for error in proxy.errors]
        server_run = server.stop()
        peers = {
            "server": {"command": shell_line(server.command), "exit_status": server_run.exit_status},
            "client": {
                "command": shell_line(client_run.command if client_run else None),
                "exit_status": client_run.exit_status if client_run else None,
                "seconds": round(client_run.seconds, 3) if client_run else None,
            },
        }
        (log_dir / "peers.json").write_text(json.dumps(peers, indent=2) + "\n")
    server_view = example.server_view if cell.server.reports else "none"
    problems = proxy_errors + check.check(vectors, client_run, server_run, server_view)
    return problems, check.round_trip_times(client_run)


def explain(result: CellResult) -> str:
    """What a person needs when a cell is red: the problems, then where to look."""
    lines = [f"{result.id}: {result.status}"]
    lines += [f"  - {p}" for p in result.problems[:20]]
    if len(result.problems) > 20:
        lines.append(f"  … and {len(result.problems) - 20} more")
    lines.append(f"  logs: {result.log_dir}")
    bundle = Path(result.log_dir) / "cell.json"
    if bundle.is_file():
        lines.append(f"  replay: {json.loads(bundle.read_text())['replay']}")
    return "\n".join(lines)
