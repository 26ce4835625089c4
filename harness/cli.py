"""The `crosswire` command: list the manifest, run the matrix, replay one cell."""

from __future__ import annotations

import argparse
import fnmatch
import os
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from harness import build, manifest, report, sandbox
from harness.drivers import ProcessDriver
from harness.runner import DEFAULT_LOG_ROOT, CellResult, explain, run_cell


def command_list(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    for name, example in loaded.examples.items():
        print(f"{name}: {example.title} (variants: {', '.join(example.variants)})")
        for peer in loaded.peers:
            if peer.example == name:
                how = f"builtin {peer.builtin}" if peer.builtin else " ".join(peer.command)
                print(f"  {peer.role:6} {peer.name:10} {peer.language:7} {how}")
    return 0


def select_cells(loaded: manifest.Manifest, args: argparse.Namespace) -> list[manifest.Cell]:
    examples = args.example or None
    for name in examples or []:
        if name not in loaded.examples:
            raise SystemExit(f"crosswire: unknown example {name!r} (known: {', '.join(loaded.examples)})")
    cells = loaded.cells(examples)
    if args.variant:
        cells = [c for c in cells if c.variant in args.variant]
    return cells


def needs_jar(cells: Sequence[manifest.Cell]) -> bool:
    peers = [peer for cell in cells for peer in (cell.client, cell.server, *cell.receivers)]
    return any("{jar}" in part for peer in peers for part in peer.command)


def run_cells(loaded: manifest.Manifest, cells: Sequence[manifest.Cell], log_root: Path) -> list[CellResult]:
    if needs_jar(cells):
        build.ensure_jar()  # once, up front, rather than inside the first Java cell
    driver = ProcessDriver()
    results: list[CellResult] = []
    workers = max(1, min(len(cells), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_cell, cell, loaded, driver, log_root) for cell in cells]
        for done, future in enumerate(futures, start=1):
            result = future.result()
            results.append(result)
            print(f"  [{done}/{len(cells)}] {result.status:5} {result.id}", file=sys.stderr, flush=True)
    return results


def command_matrix(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    cells = select_cells(loaded, args)
    print(f"crosswire matrix: {len(cells)} cells, network: {sandbox.describe()}", file=sys.stderr)
    results = run_cells(loaded, cells, Path(args.logs))
    print(report.render(results))
    if args.json:
        report.write_json(Path(args.json), results)
        print(f"\nwrote {args.json}")
    stale = unmatched_expected_failures(loaded, cells)
    for entry in stale:
        print(f"expected failure matches no cell (remove it or fix it): {entry}", file=sys.stderr)
    return 1 if stale or any(r.status == "fail" for r in results) else 0


def unmatched_expected_failures(loaded: manifest.Manifest, cells: Sequence[manifest.Cell]) -> list[str]:
    """Entries of expected_failures.toml for the selected examples that match none of their cells."""
    selected = {(cell.example, cell.variant) for cell in cells}
    return [
        f"{e.example} {e.client}->{e.server} {e.variant}: {e.reason}"
        for e in loaded.expected_failures
        if any(fnmatch.fnmatchcase(ex, e.example) and fnmatch.fnmatchcase(v, e.variant) for ex, v in selected)
        and not any(e.matches(cell) for cell in cells)
    ]


def command_run(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    if args.example not in loaded.examples:
        raise manifest.ManifestError(f"unknown example {args.example!r} (known: {', '.join(loaded.examples)})")
    matching = [
        cell for cell in loaded.cells([args.example])
        if (cell.client.name, cell.server.name, cell.variant) == (args.client, args.server, args.variant)
    ]
    if not matching:
        known = sorted({f"--client {c.client.name} --server {c.server.name} --variant {c.variant}"
                        for c in loaded.cells([args.example])})
        raise manifest.ManifestError(f"no such cell of {args.example}; its cells:\n  " + "\n  ".join(known))
    cell = matching[0]
    result = run_cell(cell, loaded, ProcessDriver(), Path(args.logs))
    print(explain(result))
    for name in ("server.out", "server.err", "client.out", "client.err"):
        path = Path(result.log_dir) / name
        if path.is_file() and path.stat().st_size:
            text = path.read_text(errors="replace")
            print(f"--- {name} ({len(text)} chars, first 2000) ---\n{text[:2000]}")
    return 0 if result.status in ("pass", "xfail") else 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="crosswire", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("list", help="list the peers in the manifest")
    listing.set_defaults(handler=command_list)

    matrix = commands.add_parser("matrix", help="run every client against every server")
    matrix.add_argument("--example", action="append", help="only this example (repeatable)")
    matrix.add_argument("--variant", action="append", help="only this variant (repeatable)")
    matrix.add_argument("--json", metavar="PATH", help="also write every cell as JSON")
    matrix.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "matrix"), help="log bundle root")
    matrix.add_argument("--driver", choices=["process"], default="process")
    matrix.set_defaults(handler=command_matrix)

    run = commands.add_parser("run", help="run (replay) one cell and show its logs")
    run.add_argument("example")
    run.add_argument("--client", required=True)
    run.add_argument("--server", required=True)
    run.add_argument("--variant", default=manifest.PLAIN)
    run.add_argument("--driver", choices=["process"], default="process")
    run.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "run"), help="log bundle root")
    run.set_defaults(handler=command_run)
    return top


def exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Inside the sandbox this process is PID 1, which ignores SIGTERM unless handled.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(arguments)
    if args.command in ("matrix", "run"):
        sandbox.enter([sys.executable, "-m", "harness.cli", *arguments])
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    try:
        return int(args.handler(args))
    except (build.BuildError, manifest.ManifestError) as error:
        print(f"crosswire: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
