"""The `crosswire` command: list the manifest, run the matrix, replay one cell."""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import signal
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from harness import (
    agreement,
    bench,
    build,
    demo,
    environment,
    html_report,
    junit_report,
    jvm,
    manifest,
    report,
    sandbox,
    show,
)
from harness.drivers import DRIVER_CHOICES, Driver, ProcessDriver, drivers_named
from harness.runner import DEFAULT_LOG_ROOT, CellResult, cell_dir_name, explain, run_cell, run_cell_with


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
    if args.client_lang:
        cells = [c for c in cells if c.client.language in args.client_lang]
    if args.server_lang:
        cells = [c for c in cells if c.server.language in args.server_lang
                 or any(r.language in args.server_lang for r in c.receivers)]
    return cells


def needs_jar(cells: Sequence[manifest.Cell]) -> bool:
    peers = [peer for cell in cells for peer in (cell.client, cell.server, *cell.receivers)]
    return any("{jar}" in part for peer in peers for part in peer.command)


def run_cells(loaded: manifest.Manifest, cells: Sequence[manifest.Cell], log_root: Path,
              drivers: Sequence[Driver] = (ProcessDriver(),)) -> list[CellResult]:
    if needs_jar(cells):
        build.ensure_jar()  # once, up front, rather than inside the first Java cell
        if any(d.name == "inproc" for d in drivers):
            jvm.start()  # here, in the main thread, never in the pool's (see harness/jvm.py)
    results: list[CellResult] = []
    workers = max(1, min(len(cells), os.cpu_count() or 1))
    live = sys.stderr.isatty()  # a progress bar for people; a line per cell for logs and CI
    with ThreadPoolExecutor(max_workers=workers) as pool, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), disable=not live, transient=True,
    ) as progress:
        task = progress.add_task("running cells", total=len(cells))
        futures = [pool.submit(run_cell_with, cell, loaded, drivers, log_root) for cell in cells]
        for done, future in enumerate(futures, start=1):
            result = future.result()
            results.append(result)
            progress.update(task, advance=1, description=f"{result.status:5} {result.id}")
            if not live:
                print(f"  [{done}/{len(cells)}] {result.status:5} {result.id}", file=sys.stderr, flush=True)
    return results


def command_matrix(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    cells = select_cells(loaded, args)
    print(f"crosswire matrix: {len(cells)} cells, network: {sandbox.describe()}", file=sys.stderr)
    results = run_cells(loaded, cells, Path(args.logs), drivers_named(args.driver))
    print(report.render(results))
    blocks = []
    if not (args.example or args.variant or args.client_lang or args.server_lang):
        # The name and address snippets are not client × server pairs: their block is the
        # recorded Python/Java agreement table (tests/test_addr_agreement.py keeps it current).
        blocks.append(("addresses: what Python and Java answer", agreement.recorded_block()))
        print(f"\naddresses: what Python and Java answer\n{agreement.recorded_block()}")
    if args.json:
        report.write_json(Path(args.json), results)
        print(f"\nwrote {args.json}")
    if args.html:
        html_report.write_html(Path(args.html), results, environment.gather(), blocks)
        print(f"wrote {args.html}")
    if args.junit:
        junit_report.write_junit(Path(args.junit), results)
        print(f"wrote {args.junit}")
    stale = unmatched_expected_failures(loaded, cells)
    for entry in stale:
        print(f"expected failure matches no cell (remove it or fix it): {entry}", file=sys.stderr)
    return 1 if stale or any(r.status == "fail" for r in results) else 0


def unmatched_expected_failures(loaded: manifest.Manifest, cells: Sequence[manifest.Cell]) -> list[str]:
    """Entries of expected_failures.toml for the selected examples and variants that match none of their cells.

    Every cell of those examples and variants counts, not only the selected ones: `--client-lang java`
    leaves out the naive client's cells, which does not make its entry stale.
    """
    selected = {(cell.example, cell.variant) for cell in cells}
    candidates = [cell for cell in loaded.cells(sorted({example for example, _ in selected}))
                  if (cell.example, cell.variant) in selected]
    return [
        f"{e.example} {e.client}->{e.server} {e.variant}: {e.reason}"
        for e in loaded.expected_failures
        if any(fnmatch.fnmatchcase(ex, e.example) and fnmatch.fnmatchcase(v, e.variant) for ex, v in selected)
        and not any(e.matches(cell) for cell in candidates)
    ]


def find_cell(loaded: manifest.Manifest, example: str, client: str, server: str, variant: str) -> manifest.Cell:
    if example not in loaded.examples:
        raise manifest.ManifestError(f"unknown example {example!r} (known: {', '.join(loaded.examples)})")
    cells = loaded.cells([example])
    for cell in cells:
        if (cell.client.name, cell.server.name, cell.variant) == (client, server, variant):
            return cell
    known = sorted({f"--client {c.client.name} --server {c.server.name} --variant {c.variant}" for c in cells})
    raise manifest.ManifestError(f"no such cell of {example}; its cells:\n  " + "\n  ".join(known))


def command_run(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    cell = find_cell(loaded, args.example, args.client, args.server, args.variant)
    result = run_cell_with(cell, loaded, drivers_named(args.driver), Path(args.logs))
    print(explain(result))
    for name in ("server.out", "server.err", "client.out", "client.err"):
        path = Path(result.log_dir) / name
        if path.is_file() and path.stat().st_size:
            text = path.read_text(errors="replace")
            print(f"--- {name} ({len(text)} chars, first 2000) ---\n{text[:2000]}")
    return 0 if result.status in ("pass", "xfail") else 1


def command_demo(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    cell = find_cell(loaded, args.example, args.client, args.server, args.variant)
    if needs_jar([cell]):
        build.ensure_jar()
    log_dir = Path(args.logs) / cell_dir_name(cell)
    names = ([f"receiver-{i}-{r.name}" for i, r in enumerate(cell.receivers)] + ["sender"]
             if cell.receivers else ["server", "client"])
    width = shutil.get_terminal_size((160, 40)).columns
    console = Console(width=width, record=bool(args.svg), highlight=False)
    console.print(f"crosswire demo: {cell.id} ({sandbox.describe()})", markup=False, soft_wrap=True)
    console.print(f"  {cell.client.label}: {' '.join(cell.client.command) or cell.client.builtin}", markup=False)
    for peer in cell.receivers or (cell.server,):
        console.print(f"  {peer.label}: {' '.join(peer.command) or peer.builtin}", markup=False)
    console.print()
    screen = demo.SideBySide(width, names, console)
    result = demo.watch(log_dir, lambda: run_cell(cell, loaded, ProcessDriver(), Path(args.logs)), screen.emit)
    console.print()
    console.print(demo.verdict(result), markup=False, soft_wrap=True)
    if args.svg:
        console.save_svg(args.svg, title=f"crosswire demo {cell.id}")
    return 0 if result.status in ("pass", "xfail", "skip") else 1


def command_bench(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    if args.example not in loaded.examples:
        raise manifest.ManifestError(f"unknown example {args.example!r} (known: {', '.join(loaded.examples)})")
    cells = loaded.cells([args.example])
    if needs_jar(cells):
        build.ensure_jar()
    print(f"crosswire bench {args.example}: {args.messages} messages per pair, one pair at a time "
          f"({sandbox.describe()})", file=sys.stderr)
    results = bench.bench(loaded, args.example, args.messages, Path(args.logs))
    if not results:
        print(f"{args.example} has no request/reply pairs to time; `crosswire matrix --example "
              f"{args.example}` reports its cells' times")
        return 0
    print(bench.table(results))
    if args.plot:
        bench.plot(results, args.example, Path(args.plot))
        print(f"wrote {args.plot}")
    return 1 if any(r.failures for r in results) else 0


def command_show(args: argparse.Namespace) -> int:
    loaded = manifest.load()
    if args.example not in loaded.examples:
        raise manifest.ManifestError(f"unknown example {args.example!r} (known: {', '.join(loaded.examples)})")
    show.show(loaded, args.example)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="crosswire", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    listing = commands.add_parser("list", help="list the peers in the manifest")
    listing.set_defaults(handler=command_list)

    matrix = commands.add_parser("matrix", help="run every client against every server")
    matrix.add_argument("--example", action="append", help="only this example (repeatable)")
    matrix.add_argument("--variant", action="append", help="only this variant (repeatable)")
    matrix.add_argument("--client-lang", action="append", help="only clients in this language (repeatable)")
    matrix.add_argument("--server-lang", action="append", help="only servers in this language (repeatable)")
    matrix.add_argument("--json", metavar="PATH", help="also write every cell as JSON")
    matrix.add_argument("--html", metavar="PATH", help="also write a self-contained HTML report")
    matrix.add_argument("--junit", metavar="PATH", help="also write JUnit XML (for CI systems)")
    matrix.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "matrix"), help="log bundle root")
    matrix.add_argument("--driver", choices=DRIVER_CHOICES, default="both",
                        help="run peers as processes, in-process (Python functions, Java in one JVM), "
                             "or both, which must agree (default)")
    matrix.set_defaults(handler=command_matrix)

    run = commands.add_parser("run", help="run (replay) one cell and show its logs")
    run.add_argument("example")
    run.add_argument("--client", required=True)
    run.add_argument("--server", required=True)
    run.add_argument("--variant", default=manifest.PLAIN)
    run.add_argument("--driver", choices=DRIVER_CHOICES, default="process")
    run.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "run"), help="log bundle root")
    run.set_defaults(handler=command_run)

    live = commands.add_parser("demo", help="run one cell live: both sides' output side by side, then a verdict")
    live.add_argument("example")
    live.add_argument("--client", required=True, help="the client's peer name (python, java, naive, socat, ...)")
    live.add_argument("--server", required=True, help="the server's peer name (or a receiver mix)")
    live.add_argument("--variant", default=manifest.PLAIN)
    live.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "demo"), help="log bundle root")
    live.add_argument("--svg", metavar="PATH", help="also save what was shown as an SVG picture")
    live.set_defaults(handler=command_demo)

    timing = commands.add_parser("bench", help="latency percentiles and throughput of every pair of an example")
    timing.add_argument("example")
    timing.add_argument("--messages", type=int, default=bench.DEFAULT_MESSAGES, help="messages per pair")
    timing.add_argument("--logs", default=str(DEFAULT_LOG_ROOT / "bench"), help="log root")
    timing.add_argument("--plot", metavar="PATH", help="also draw the percentiles as a PNG chart")
    timing.set_defaults(handler=command_bench)

    source = commands.add_parser("show", help="the Python and Java implementations of an example side by side")
    source.add_argument("example")
    source.set_defaults(handler=command_show)
    return top


def exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Inside the sandbox this process is PID 1, which ignores SIGTERM unless handled.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(arguments)
    if args.command in ("matrix", "run", "demo", "bench"):
        sandbox.enter([sys.executable, "-m", "harness.cli", *arguments])
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    try:
        return int(args.handler(args))
    except (build.BuildError, manifest.ManifestError) as error:
        print(f"crosswire: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
