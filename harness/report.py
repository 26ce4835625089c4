"""Matrix reports: a terminal table per example, and the JSON cell list."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from harness.runner import CellResult

MARKS = {"pass": "pass", "fail": "FAIL", "xfail": "xfail", "skip": "skip"}


def cell_text(result: CellResult) -> str:
    text = MARKS[result.status]
    if result.rtt_ms_median is not None:
        text += f" {result.rtt_ms_median:.2f}ms"
    return text


def table(example: str, results: Sequence[CellResult]) -> str:
    """Rows clients, columns servers (one column per variant), each cell status and median RTT."""
    clients = list(dict.fromkeys(r.client for r in results))
    columns = list(dict.fromkeys((r.server, r.variant) for r in results))
    by_key = {(r.client, r.server, r.variant): r for r in results}
    header = ["client \\ server"] + [
        f"{server}" if variant == "plain" else f"{server} ({variant})" for server, variant in columns
    ]
    rows = [header]
    for client in clients:
        row = [client]
        for server, variant in columns:
            result = by_key.get((client, server, variant))
            row.append(cell_text(result) if result else "-")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [f"{example}"]
    for index, row in enumerate(rows):
        lines.append("  " + "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)))
        if index == 0:
            lines.append("  " + "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def summary(example: str, results: Sequence[CellResult]) -> str:
    def count(selected: Sequence[CellResult]) -> str:
        passed = sum(r.status in ("pass", "xfail") for r in selected)
        return f"{passed}/{len(selected)}"

    pairs = [r for r in results if "reference" not in (r.client, r.server)]
    reference = [r for r in results if "reference" in (r.client, r.server)]
    against = f", against the reference peers {count(reference)}" if reference else ""
    return f"{example}: {count(results)} as expected (peer pairs {count(pairs)}{against})"


def render(results: Sequence[CellResult]) -> str:
    blocks = []
    for example in dict.fromkeys(r.example for r in results):
        selected = [r for r in results if r.example == example]
        blocks.append(table(example, selected) + "\n  " + summary(example, selected))
    failures = [r for r in results if r.status == "fail"]
    if failures:
        blocks.append("Failures:\n" + "\n".join(f"  {r.id}: {r.detail}\n    logs: {r.log_dir}" for r in failures))
    return "\n\n".join(blocks)


def write_json(path: Path, results: Sequence[CellResult]) -> None:
    keys = ("example", "client", "server", "variant", "status", "rtt_ms_median", "detail")
    cells = [{key: getattr(r, key) for key in keys} for r in results]
    path.write_text(json.dumps(cells, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
