"""The matrix as one self-contained HTML page, made to be read from the back of a lecture hall.

The page has no external resources at all: CSS and JavaScript are inline,
and a Content-Security-Policy (`default-src 'none'`, the script and style
allowed by hash) makes the browser refuse any fetch, so it works offline
and a log line that smuggles markup can neither load nor run anything.

Each example gets a grid (rows clients, columns servers with one sub-column
per variant); a cell shows its status as colour *and* text, and its median
round-trip time. Every cell's details (reason, problems, replay command, and
the transcript: the log files, read now from the cell's log directory,
HTML-escaped and truncated) are rendered into an inert <template>; clicking
the cell copies it into a modal <dialog>. The URL fragment `#cell=<id>`
(percent-encoded cell id) opens that cell's details on load, so a link can
point at one cell.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.runner import STATUSES, CellResult

TITLE = "crosswire compatibility matrix"
LOG_LIMIT = 20_000  # bytes of one log file shown in the page
LOG_TAIL = 6_000  # of which from the end, where tracebacks are
MAX_LOG_FILES = 40
MAX_PROBLEMS = 200
LABELS = {"pass": "PASS", "fail": "FAIL", "xfail": "XFAIL", "skip": "SKIP"}
ICONS = {"pass": "✓", "fail": "✗", "xfail": "!", "skip": "–"}
MEANINGS = {
    "pass": "works",
    "fail": "broken (not expected)",
    "xfail": "known incompatibility (expected failure)",
    "skip": "not run here",
}
REASON_HEADINGS = {
    "pass": "Result",
    "fail": "Why it failed",
    "xfail": "Expected failure",
    "skip": "Why it was skipped",
}
ENVIRONMENT_LABELS = {"date": "Date", "machine": "Machine", "python": "Python", "java": "Java", "gradle": "Gradle"}
# Log files in the order a person reads them; anything else comes after, peers.json last.
LOG_ORDER = ("harness.err", "server.out", "server.err", "client.out", "client.err")
LOG_LATE_PREFIXES = ("receiver-", "sender")

# C0 controls (but tab, newline, CR), DEL, and the surrogates `surrogateescape` makes of undecodable bytes.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\udc80-\udcff]")


def text(value: object) -> str:
    """`value` as HTML text: escaped, with control characters and undecodable bytes made visible."""
    def visible(match: re.Match[str]) -> str:
        code = ord(match[0])
        if code >= 0xDC80:
            return f'<span class="badbyte" title="byte that is not valid UTF-8">\\x{code - 0xDC00:02x}</span>'
        return f'<span class="ctl" title="control character U+{code:04X}">\\x{code:02x}</span>'

    return _UNPRINTABLE.sub(visible, html.escape(str(value)))


def attr(value: object) -> str:
    """`value` for a double-quoted attribute; unprintable characters are dropped, not marked up."""
    return html.escape(_UNPRINTABLE.sub("\N{REPLACEMENT CHARACTER}", str(value)), quote=True)


def fragment(cell_id: str) -> str:
    return "#cell=" + urllib.parse.quote(cell_id, safe="")


def format_rtt(ms: float | None) -> str:
    if ms is None:
        return ""
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 100:
        return f"{ms:.1f} ms"
    return f"{ms:.0f} ms"


def format_size(size: int) -> str:
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


# --- reading the log bundle ------------------------------------------------------


@dataclass(frozen=True)
class LogExcerpt:
    name: str
    size: int
    text: str  # decoded with surrogateescape: undecodable bytes are lone surrogates
    head_bytes: int  # shown from the start
    tail_bytes: int  # shown from the end (0 when the whole file is shown)
    valid_utf8: bool

    @property
    def omitted(self) -> int:
        return self.size - self.head_bytes - self.tail_bytes


def read_excerpt(path: Path, limit: int = LOG_LIMIT, tail: int = LOG_TAIL) -> LogExcerpt:
    """The whole file if it is at most `limit` bytes, else its head and its last `tail` bytes."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        if size <= limit:
            head, end = stream.read(), b""
        else:
            head = stream.read(limit - tail)
            stream.seek(size - tail)
            end = stream.read(tail)
    if end:
        head, end = _trim_to_characters(head, end)
    valid = True
    for part in (head, end):
        try:
            part.decode("utf-8")
        except UnicodeDecodeError:
            valid = False
    decoded = head.decode("utf-8", "surrogateescape")
    if end:
        omitted = size - len(head) - len(end)
        decoded += f"\n\n… {omitted:,} bytes omitted …\n\n" + end.decode("utf-8", "surrogateescape")
    return LogExcerpt(path.name, size, decoded, len(head), len(end), valid)


def _trim_to_characters(head: bytes, end: bytes) -> tuple[bytes, bytes]:
    """Cut the excerpt's edges back to whole UTF-8 characters, so a cut is not taken for bad bytes."""
    for back in range(1, min(4, len(head)) + 1):
        lead = head[-back]
        if lead < 0x80:
            break
        if lead >= 0xC0:  # a lead byte: keep it only if its sequence is complete
            needed = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            if needed > back:
                head = head[:-back]
            break
    skip = 0
    while skip < min(3, len(end)) and 0x80 <= end[skip] < 0xC0:
        skip += 1
    return head, end[skip:]


def log_files(log_dir: Path) -> list[Path]:
    """The bundle's log files in reading order; cell.json is shown as facts, not as a log."""
    files = [p for p in log_dir.iterdir() if p.is_file() and p.name != "cell.json"]

    def rank(path: Path) -> tuple[int, int, str, bool]:
        by_name = (path.stem, path.suffix != ".out")  # a peer's stdout before its stderr
        if path.name in LOG_ORDER:
            return (0, LOG_ORDER.index(path.name), *by_name)
        for index, prefix in enumerate(LOG_LATE_PREFIXES):
            if path.name.startswith(prefix):
                return (1, index, *by_name)
        return (3 if path.name == "peers.json" else 2, 0, *by_name)

    return sorted(files, key=rank)[:MAX_LOG_FILES]


def read_bundle(log_dir: Path) -> dict[str, object]:
    try:
        loaded = json.loads((log_dir / "cell.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


# --- the page's parts --------------------------------------------------------------


def status_badge(status: str, tag: str = "span", extra: str = "") -> str:
    return (f'<{tag} class="badge st-{attr(status)}{extra}"><span class="icon" aria-hidden="true">'
            f'{ICONS.get(status, "?")}</span> {text(LABELS.get(status, status.upper()))}</{tag}>')


def header(results: Sequence[CellResult], environment: Mapping[str, str]) -> str:
    keys = list(ENVIRONMENT_LABELS) + [key for key in environment if key not in ENVIRONMENT_LABELS]
    facts = "".join(
        f'<div><dt>{text(ENVIRONMENT_LABELS.get(key, key))}</dt><dd>{text(environment.get(key, "unknown"))}</dd></div>'
        for key in keys
    )
    counts = {status: sum(r.status == status for r in results) for status in STATUSES}
    chips = "".join(
        f'<span class="chip st-{status}{" zero" if not counts[status] else ""}">'
        f'<span class="icon" aria-hidden="true">{ICONS[status]}</span> '
        f'<b>{counts[status]}</b> {LABELS[status]}</span>'
        for status in STATUSES
    )
    failed = counts["fail"]
    verdict = (
        f'<span class="verdict verdict-fail">{failed} unexpected failure{"s" if failed != 1 else ""}</span>' if failed
        else f'<span class="verdict verdict-ok">all {len(results)} cells as expected</span>'
    )
    legend = "".join(
        f'<li>{status_badge(status)} <span>{text(MEANINGS[status])}</span></li>' for status in STATUSES
    )
    return (
        f'<header class="top"><h1>{text(TITLE)}</h1>'
        f'<dl class="env">{facts}</dl>'
        f'<div class="summary">{verdict}<span class="total">{len(results)} cells</span>{chips}</div>'
        f'<ul class="legend" aria-label="legend">{legend}'
        '<li class="hint">numbers: median round-trip time · click a cell for its details and transcript</li>'
        "</ul></header>"
    )


def contents(examples: Mapping[str, Sequence[CellResult]]) -> str:
    links = []
    for example, selected in examples.items():
        worst = next((s for s in ("fail", "xfail", "skip") if any(r.status == s for r in selected)), "pass")
        links.append(
            f'<li><a href="#ex-{attr(example)}"><span class="dot st-{worst}" aria-hidden="true"></span>'
            f'{text(example)} <span class="muted">{len(selected)}</span></a></li>'
        )
    return f'<nav class="toc" aria-label="examples"><ul>{"".join(links)}</ul></nav>'


def attention(results: Sequence[CellResult]) -> str:
    failures = [r for r in results if r.status == "fail"]
    if not failures:
        return ""
    items = "".join(
        f'<li><a href="{attr(fragment(r.id))}" data-open-cell="{attr(r.id)}">{status_badge("fail")} '
        f'<code>{text(r.id)}</code></a> <span class="why">{text(first_line(r.detail, 200))}</span></li>'
        for r in failures
    )
    return f'<section class="attention"><h2>Unexpected failures ({len(failures)})</h2><ul>{items}</ul></section>'


def first_line(value: str, limit: int) -> str:
    line = value.strip().splitlines()[0] if value.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def grid(example: str, results: Sequence[CellResult]) -> str:
    """Rows clients; columns servers, each split into one sub-column per variant (`plain` first)."""
    clients = list(dict.fromkeys(r.client for r in results))
    servers = list(dict.fromkeys(r.server for r in results))
    variants = list(dict.fromkeys(r.variant for r in results))
    variants.sort(key=lambda v: v != "plain")  # stable: plain first, the rest as they came
    columns = [
        (server, variant) for server in servers for variant in variants
        if any(r.server == server and r.variant == variant for r in results)
    ]
    by_key = {(r.client, r.server, r.variant): r for r in results}

    top = "".join(
        f'<th scope="colgroup" class="server{peer_class(server)}" '
        f'colspan="{sum(s == server for s, _ in columns)}">{text(server)}</th>'
        for server in servers
    )
    sub = "".join(
        f'<th scope="col" class="variant{group_start(columns, index)}" title="{attr(f"{server} / {variant}")}">'
        f"{text(variant)}</th>"
        for index, (server, variant) in enumerate(columns)
    )
    rows = []
    for client in clients:
        cells = []
        for index, (server, variant) in enumerate(columns):
            result = by_key.get((client, server, variant))
            cells.append(grid_cell(result, group_start(columns, index)))
        rows.append(f'<tr><th scope="row" class="client{peer_class(client)}">{text(client)}</th>{"".join(cells)}</tr>')
    counts = " · ".join(
        f"{n} {status}" for status in STATUSES if (n := sum(r.status == status for r in results))
    )
    return (
        f'<section class="example" id="ex-{attr(example)}">'
        f'<h2>{text(example)} <span class="counts">{len(results)} cells: {text(counts)}</span></h2>'
        f'<table class="grid"><thead>'
        f'<tr class="servers"><th rowspan="2" class="corner" scope="col">client ↓ &nbsp; server →</th>{top}</tr>'
        f'<tr class="variants">{sub}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def peer_class(name: str) -> str:
    return " reference" if name == "reference" else ""


def group_start(columns: Sequence[tuple[str, str]], index: int) -> str:
    return " group-start" if index > 0 and columns[index - 1][0] != columns[index][0] else ""


def grid_cell(result: CellResult | None, extra_class: str) -> str:
    if result is None:
        return f'<td class="none{extra_class}"><span title="no such cell">—</span></td>'
    rtt = format_rtt(result.rtt_ms_median)
    rtt_html = f'<span class="rtt">{text(rtt)}</span>' if rtt else ""
    tooltip = f"{result.id}: {LABELS.get(result.status, result.status)}: {result.detail}"
    return (
        f'<td class="{extra_class.strip()}">'
        f'<a class="cell st-{attr(result.status)}" href="{attr(fragment(result.id))}" '
        f'data-open-cell="{attr(result.id)}" title="{attr(first_line(tooltip, 300))}">'
        f'<span class="label"><span class="icon" aria-hidden="true">{ICONS.get(result.status, "?")}</span> '
        f'{text(LABELS.get(result.status, result.status.upper()))}</span>'
        f"{rtt_html}</a></td>"
    )


def details_template(result: CellResult) -> str:
    """Everything about one cell, for the details dialog; inert until the cell is clicked."""
    log_dir = Path(result.log_dir) if result.log_dir else None
    bundle = read_bundle(log_dir) if log_dir else {}
    facts = [
        ("example", result.example), ("client", result.client), ("server", result.server),
        ("variant", result.variant), ("median round trip", format_rtt(result.rtt_ms_median) or "—"),
        ("took", f"{result.seconds:.2f} s"),
    ]
    if isinstance(bundle.get("driver"), str):
        facts.append(("driver", str(bundle["driver"])))
    proxy = bundle.get("proxy")
    if isinstance(proxy, dict):
        facts.append(("proxy", f"{proxy.get('kind', '?')}, seed {proxy.get('seed', '?')}"))
    facts_html = "".join(f"<div><dt>{text(k)}</dt><dd>{text(v)}</dd></div>" for k, v in facts)

    parts = [
        f'<div class="d-bar st-{attr(result.status)}">{status_badge(result.status)}'
        f'<h2 class="d-title">{text(result.id)}</h2>'
        '<button type="button" class="close" data-close aria-label="close">✕ Close</button></div>',
        '<div class="d-body">',
        f'<dl class="facts">{facts_html}</dl>',
        f'<h3>{text(REASON_HEADINGS.get(result.status, "Detail"))}</h3><p class="reason">{text(result.detail)}</p>',
    ]
    if result.problems:
        shown = result.problems[:MAX_PROBLEMS]
        more = len(result.problems) - len(shown)
        items = "".join(f"<li>{text(p)}</li>" for p in shown)
        note = f'<p class="note">… and {more} more problems (see the logs)</p>' if more else ""
        parts.append(f'<h3>Problems ({len(result.problems)})</h3><ol class="problems">{items}</ol>{note}')
    replay = bundle.get("replay")
    parts.append("<h3>Replay</h3>")
    if isinstance(replay, str):
        parts.append(f'<div class="replay"><code>{text(replay)}</code>'
                     '<button type="button" data-copy>Copy</button></div>')
    else:
        parts.append('<p class="note">no replay command recorded (no readable cell.json in the log directory)</p>')
    parts.append(f'<p class="logdir">logs: <code>{text(result.log_dir or "none recorded")}</code></p>')
    parts.append("<h3>Transcript</h3>")
    parts.append(transcript(log_dir))
    parts.append("</div>")
    return f'<template data-cell-id="{attr(result.id)}">{"".join(parts)}</template>'


def transcript(log_dir: Path | None) -> str:
    if log_dir is None:
        return '<p class="note missing">This result names no log directory.</p>'
    if not log_dir.is_dir():
        return f'<p class="note missing">The log directory <code>{text(log_dir)}</code> does not exist (any more).</p>'
    try:
        files = log_files(log_dir)
    except OSError as error:
        return f'<p class="note missing">The log directory could not be read: {text(error)}</p>'
    if not files:
        return '<p class="note">The log directory holds no log files.</p>'
    return "".join(log_block(path) for path in files)


def log_block(path: Path) -> str:
    try:
        excerpt = read_excerpt(path)
    except OSError as error:
        return f'<div class="log empty"><b>{text(path.name)}</b> could not be read: {text(error)}</div>'
    if excerpt.size == 0:
        return f'<div class="log empty"><b>{text(excerpt.name)}</b> <span class="size">empty</span></div>'
    notes = []
    if excerpt.omitted:
        notes.append(
            f"truncated: showing the first {excerpt.head_bytes:,} and the last {excerpt.tail_bytes:,} "
            f"of {excerpt.size:,} bytes; the whole file is <code>{text(path)}</code>"
        )
    if not excerpt.valid_utf8:
        notes.append('not valid UTF-8: undecodable bytes are shown as <span class="badbyte">\\xNN</span>')
    note_html = "".join(f'<p class="note">{note}</p>' for note in notes)
    return (
        f'<details class="log" open><summary><b>{text(excerpt.name)}</b> '
        f'<span class="size">{format_size(excerpt.size)}</span></summary>'
        f'{note_html}<pre>{text(excerpt.text)}</pre></details>'
    )


def extra(blocks: Iterable[tuple[str, str]]) -> str:
    return "".join(
        f'<section class="extra"><h2>{text(title)}</h2><pre>{text(body)}</pre></section>' for title, body in blocks
    )


# --- the page ------------------------------------------------------------------------

CSS = """
:root {
  --pass: #1a7f37; --pass-fg: #fff; --fail: #c62828; --fail-fg: #fff;
  --xfail: #f2b600; --xfail-fg: #231a00; --skip: #c6ccd4; --skip-fg: #22272e;
  --ink: #16191d; --muted: #5a636e; --line: #d5dae0; --paper: #fff; --panel: #f4f6f8;
  --head1: 2.5rem;
}
* { box-sizing: border-box; }
html { font-size: clamp(15px, 1.4vw, 26px); }
body { margin: 0; color: var(--ink); background: var(--paper); line-height: 1.4;
  font-family: system-ui, -apple-system, "Segoe UI", "Liberation Sans", "DejaVu Sans", sans-serif; }
code, pre, .replay code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, monospace; }
a { color: inherit; }
.page { padding: 1.2rem 2rem 3rem; }
.muted { color: var(--muted); font-weight: 400; }
header.top h1 { font-size: 2.1rem; margin: 0 0 .5rem; letter-spacing: -.01em; }
.env { display: flex; flex-wrap: wrap; gap: .25rem 2.2rem; margin: 0; font-size: .9rem; }
.env div { display: flex; gap: .45rem; }
.env dt { color: var(--muted); }
.env dd { margin: 0; font-weight: 600; }
.summary { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem; margin: 1rem 0 .7rem; }
.verdict { font-size: 1.2rem; font-weight: 800; margin-right: .6rem; padding: .15rem 1rem; border-radius: 999px;
  border: 3px solid currentColor; }
.verdict-ok { color: #0f5323; }
.verdict-fail { color: #a61b1b; }
.total { font-weight: 700; margin-right: .3rem; }
.chip { display: inline-flex; align-items: center; gap: .35rem; padding: .2rem .85rem; border-radius: 999px;
  font-weight: 700; border: 2px solid transparent; }
.chip b { font-size: 1.15rem; }
.chip.zero { background: var(--paper) !important; color: var(--muted) !important; border-color: var(--line); }
.st-pass { background: var(--pass); color: var(--pass-fg); }
.st-fail { background: var(--fail); color: var(--fail-fg); }
.st-xfail { background: var(--xfail); color: var(--xfail-fg); }
.st-skip { background: var(--skip); color: var(--skip-fg); }
.st-fail { background-image: repeating-linear-gradient(135deg, transparent 0 9px, rgba(255,255,255,.13) 9px 18px); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem 1.6rem; padding: 0; margin: 0;
  font-size: .9rem; }
.legend li { display: flex; align-items: center; gap: .45rem; }
.legend .hint { color: var(--muted); }
.badge { display: inline-flex; align-items: center; gap: .3rem; padding: .05rem .55rem; border-radius: .3rem;
  font-weight: 800; letter-spacing: .04em; font-size: .85rem; white-space: nowrap; }
.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; margin: 1.2rem 0 0; }
.toc a { display: inline-flex; align-items: center; gap: .45rem; padding: .2rem .8rem; border: 2px solid var(--line);
  border-radius: .5rem; text-decoration: none; font-weight: 700; }
.toc a:hover { border-color: var(--ink); }
.dot { width: .8rem; height: .8rem; border-radius: 50%; display: inline-block; }
.attention { margin: 1.4rem 0 0; padding: .6rem 1.2rem .8rem; border-left: 8px solid var(--fail); background: #fff4f4; }
.attention h2 { margin: 0 0 .4rem; font-size: 1.3rem; color: #8e1414; }
.attention ul { margin: 0; padding: 0; list-style: none; }
.attention li { margin: .3rem 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.attention a { text-decoration: none; }
.attention a:hover code { text-decoration: underline; }
.attention .why { color: #5b1a1a; }
section.example { margin: 2.2rem 0 0; }
section.example h2, section.extra h2 { font-size: 1.6rem; margin: 0 0 .5rem; padding-bottom: .2rem;
  border-bottom: 3px solid var(--ink); }
.counts { font-size: 1rem; font-weight: 500; color: var(--muted); margin-left: .6rem; }
table.grid { border-collapse: separate; border-spacing: 0; }
.grid th, .grid td { padding: 4px; }
.grid thead th { position: sticky; background: var(--paper); z-index: 2; }
.grid tr.servers th { top: 0; height: var(--head1); font-size: 1.15rem; vertical-align: bottom; white-space: nowrap; }
.grid tr.servers th.server { padding: 0 .5rem .2rem;
  background: linear-gradient(var(--ink), var(--ink)) no-repeat 50% 100% / calc(100% - 12px) 3px, var(--paper); }
.grid tr.variants th { top: var(--head1); font-size: .85rem; font-weight: 600; color: var(--muted); }
.grid th.corner { left: 0; z-index: 3; text-align: left; vertical-align: bottom; font-size: .8rem; color: var(--muted);
  font-weight: 600; padding-right: 1rem; border-bottom: 3px solid var(--ink); }
.grid th.client { position: sticky; left: 0; z-index: 1; background: var(--paper); text-align: right;
  padding-right: .8rem; font-size: 1.1rem; white-space: nowrap; }
.grid .reference { font-style: italic; }
.grid th.reference::after { content: "harness peer"; display: block; font-size: .65rem; font-weight: 500;
  font-style: normal; color: var(--muted); line-height: 1; }
.grid .group-start { padding-left: 16px; }
.grid td.none { text-align: center; color: var(--muted); }
a.cell { display: flex; flex-direction: column; align-items: center; justify-content: center; min-width: 6rem;
  height: 3.7rem; border-radius: .45rem; text-decoration: none; line-height: 1.2; }
a.cell .label { font-weight: 800; font-size: 1.02rem; letter-spacing: .05em; }
a.cell .rtt { font-size: .82rem; font-variant-numeric: tabular-nums; }
a.cell:hover, a.cell:focus-visible, .attention a:focus-visible { outline: 4px solid var(--ink); outline-offset: 2px; }
section.extra { margin: 2.4rem 0 0; }
section.extra pre { background: var(--panel); border: 1px solid var(--line); padding: .9rem 1.1rem;
  border-radius: .4rem; font-size: .85rem; overflow-x: auto; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
dialog#details { width: min(1240px, 95vw); max-height: 92vh; padding: 0; border: 0; border-radius: .7rem;
  box-shadow: 0 24px 80px rgba(0,0,0,.45); color: var(--ink); overflow: auto; }
dialog#details::backdrop { background: rgba(12,16,20,.6); }
.d-bar { position: sticky; top: 0; z-index: 1; display: flex; align-items: center; gap: 1rem; padding: .8rem 1.3rem; }
.d-bar .badge { font-size: 1rem; background: rgba(255,255,255,.92); color: var(--ink); }
.d-title { font-size: 1.2rem; margin: 0; flex: 1; overflow-wrap: anywhere;
  font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
.close { font: inherit; font-weight: 700; padding: .3rem .9rem; border-radius: .4rem; border: 2px solid currentColor;
  background: transparent; color: inherit; cursor: pointer; }
.d-body { padding: .6rem 1.4rem 1.4rem; }
.d-body h3 { font-size: 1.05rem; margin: 1.1rem 0 .35rem; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .4rem 1.2rem;
  margin: .4rem 0 0; }
.facts dt { font-size: .75rem; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
.facts dd { margin: 0; font-weight: 700; }
.reason { margin: 0; font-size: 1.05rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.problems { margin: 0; padding-left: 2rem; font-size: .9rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.problems li { margin: .15rem 0; }
.replay { display: flex; gap: .6rem; align-items: center; }
.replay code { flex: 1; background: var(--panel); border: 1px solid var(--line); border-radius: .35rem;
  padding: .45rem .7rem; font-size: .85rem; overflow-wrap: anywhere; }
.replay button { font: inherit; font-size: .85rem; padding: .35rem .8rem; border-radius: .35rem; cursor: pointer;
  border: 2px solid var(--ink); background: var(--paper); }
.logdir { font-size: .8rem; color: var(--muted); margin: .5rem 0 0; overflow-wrap: anywhere; }
.note { font-size: .85rem; color: var(--muted); margin: .3rem 0; }
.note.missing { color: #8e1414; font-weight: 600; font-size: .95rem; }
details.log { margin: .5rem 0; border: 1px solid var(--line); border-radius: .4rem; }
details.log summary { cursor: pointer; padding: .35rem .7rem; background: var(--panel); border-radius: .4rem; }
details.log[open] summary { border-bottom: 1px solid var(--line); border-radius: .4rem .4rem 0 0; }
details.log .note { padding: 0 .7rem; }
.log .size { color: var(--muted); font-size: .8rem; margin-left: .4rem; }
div.log.empty { margin: .5rem 0; padding: .35rem .7rem; color: var(--muted); border: 1px dashed var(--line);
  border-radius: .4rem; }
details.log pre { margin: 0; padding: .8rem 1rem; background: #0f1419; color: #e6edf3; font-size: .78rem;
  max-height: 30rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; border-radius: 0 0 .4rem .4rem; }
.ctl, .badbyte { border-radius: .2rem; padding: 0 .1rem; font-weight: 700; }
.ctl { background: #3d4a5c; color: #ffd28a; }
.badbyte { background: #7a1f1f; color: #ffd0d0; }
@media print { .grid thead th, .grid th.client { position: static; } a.cell { print-color-adjust: exact; } }
""".strip()

JS = """
(() => {
  "use strict";
  const dialog = document.getElementById("details");
  const body = document.getElementById("details-body");
  const templates = new Map();
  for (const t of document.querySelectorAll("template[data-cell-id]")) templates.set(t.dataset.cellId, t);
  let returnFocus = null;

  function setHash(hash) {
    try { history.replaceState(null, "", hash || location.pathname + location.search); } catch (e) { /* file: */ }
  }
  function openCell(id) {
    const template = templates.get(id);
    if (!template) return false;
    body.replaceChildren(template.content.cloneNode(true));
    dialog.dataset.cellId = id;
    if (!dialog.open) { returnFocus = document.activeElement; dialog.showModal(); }
    dialog.scrollTop = 0;
    const hash = "#cell=" + encodeURIComponent(id);
    if (location.hash !== hash) setHash(hash);
    return true;
  }
  function fromHash() {
    const match = /^#cell=(.*)$/.exec(location.hash);
    if (match) { openCell(decodeURIComponent(match[1])); }
    else if (dialog.open) { dialog.close(); }
  }
  document.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open-cell]");
    if (opener && opener.dataset.openCell !== undefined) {
      event.preventDefault();
      openCell(opener.dataset.openCell);
      return;
    }
    if (event.target.closest("[data-close]")) { dialog.close(); return; }
    const copy = event.target.closest("[data-copy]");
    if (copy) {
      const code = copy.parentElement.querySelector("code");
      const done = () => { copy.textContent = "Copied"; setTimeout(() => { copy.textContent = "Copy"; }, 1500); };
      const select = () => { const range = document.createRange(); range.selectNodeContents(code);
        const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range); };
      if (navigator.clipboard) navigator.clipboard.writeText(code.textContent).then(done, select); else select();
    }
  });
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => {
    delete dialog.dataset.cellId;
    if (location.hash.startsWith("#cell=")) setHash("");
    if (returnFocus) returnFocus.focus();
  });
  window.addEventListener("hashchange", fromHash);
  document.documentElement.dataset.ready = "yes";
  fromHash();
})();
""".strip()


def csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(results: Sequence[CellResult], environment: Mapping[str, str],
                extra_blocks: Sequence[tuple[str, str]] = ()) -> str:
    """The whole page as a string (see write_html)."""
    examples: dict[str, list[CellResult]] = {}
    for result in results:
        examples.setdefault(result.example, []).append(result)
    policy = (
        f"default-src 'none'; style-src {csp_hash(CSS)}; script-src {csp_hash(JS)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    date = environment.get("date", "")
    body = [
        header(results, environment),
        contents(examples) if len(examples) > 1 else "",
        attention(results),
        "<main>",
        *(grid(example, selected) for example, selected in examples.items()),
        "</main>",
        extra(extra_blocks),
        f'<footer>{text(TITLE)} · generated {text(date)} · '
        "self-contained page: no network access, opens offline</footer>",
    ]
    if not results:
        body.insert(1, '<p class="note missing">No cells were run.</p>')
    templates = "".join(details_template(result) for result in results)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{attr(policy)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        '<link rel="icon" href="data:,">'
        f"<title>{text(TITLE)}{' · ' + text(date) if date else ''}</title>"
        f"<style>{CSS}</style></head>\n"
        f'<body><div class="page">{"".join(body)}</div>\n'
        '<noscript><p class="note">The cell details need JavaScript.</p></noscript>'
        '<dialog id="details" aria-label="cell details"><div id="details-body"></div></dialog>\n'
        f"{templates}\n"
        f"<script>{JS}</script></body></html>\n"
    )


def write_html(path: Path | str, results: Sequence[CellResult], environment: dict[str, str],
               extra_blocks: Sequence[tuple[str, str]] = ()) -> None:
    """Write the self-contained report page for `results` to `path` (UTF-8).

    `environment` is the header's facts (see harness.environment.gather);
    `extra_blocks` are (title, preformatted text) sections added at the end.
    The log files are read now, from each result's log_dir.
    """
    page = render_html(results, environment, extra_blocks)
    Path(path).write_text(page, encoding="utf-8", errors="backslashreplace")
