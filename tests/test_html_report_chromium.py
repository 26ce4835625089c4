"""The HTML report as a person sees it: rendered by headless Chromium, after its JavaScript ran.

One screenshot (kept in .crosswire/screenshots/ for a person to look at) and
one DOM dump with `#cell=<id>` in the URL, which the page's script honours by
opening that cell's details dialog on load.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness import html_report
from harness.build import ROOT
from harness.runner import CellResult
from harness.timeouts import SCALE
from tests.test_reports import ENVIRONMENT, FAIL_REASON, sample_results

CHROMIUM = shutil.which("chromium")
CHROMIUM_TIMEOUT = 60.0 * SCALE
SCREENSHOTS = ROOT / ".crosswire" / "screenshots"
WINDOW = (1400, 1000)
FAIL_ID = "tcp-utf[python-client->java-server:fragmented]"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`; ./bootstrap installs it)"
)


def chromium(profile: Path, *arguments: str) -> tuple[str, str]:
    """Run headless Chromium once; its stdout and its log (stderr). Its whole process group dies on timeout."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--disable-dev-shm-usage", "--hide-scrollbars", f"--user-data-dir={profile}",
        "--enable-logging=stderr", "--v=0",  # console messages (script errors, CSP refusals) go to stderr
        *arguments,
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                          text=True, errors="replace", start_new_session=True) as process:
        try:
            out, err = process.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=CHROMIUM_TIMEOUT)
            pytest.fail(f"chromium did not finish within {CHROMIUM_TIMEOUT:.0f} s: {' '.join(arguments)}")
    assert process.returncode == 0, f"chromium exited with {process.returncode}:\n{err[-3000:]}"
    return out, err


def console_messages(log: str) -> list[str]:
    return [line for line in log.splitlines() if ":CONSOLE" in line]


# --- a small DOM, to look at the dump the way a person looks at the page ----------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.walk() if n.tag == tag and (cls is None or cls in n.classes())]

    def by_id(self, element_id: str) -> Node:
        found = [n for n in self.walk() if n.attrs.get("id") == element_id]
        assert len(found) == 1, f"expected one element with id {element_id!r}, found {len(found)}"
        return found[0]

    def text(self) -> str:
        if self.tag == "template":  # inert: a person does not see it
            return ""
        return " ".join(" ".join(c.split()) if isinstance(c, str) else c.text() for c in self.children).strip()


class DomBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    builder = DomBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# --- the rendering, once for the module ---------------------------------------------------


@dataclass
class Rendered:
    results: list[CellResult]
    dom: Node
    log: str
    screenshot: Path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    work = tmp_path_factory.mktemp("chromium-report")
    results = sample_results(work / "logs")
    report = work / "report.html"
    html_report.write_html(report, results, ENVIRONMENT, [("agreement", "java  python\nagree  agree")])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    screenshot = SCREENSHOTS / "matrix-report.png"
    screenshot.unlink(missing_ok=True)
    size = f"--window-size={WINDOW[0]},{WINDOW[1]}"
    _, shot_log = chromium(work / "profile-shot", f"--screenshot={screenshot}", size, report.as_uri())
    url = report.as_uri() + "#cell=" + urllib.parse.quote(FAIL_ID, safe="")
    dom, dom_log = chromium(work / "profile-dom", "--dump-dom", size, url)
    return Rendered(results, parse(dom), shot_log + dom_log, screenshot)


def test_page_has_title_header_and_ran_its_script(rendered: Rendered) -> None:
    titles = rendered.dom.find_all("title")
    assert titles and titles[0].text().startswith("crosswire compatibility matrix")
    assert rendered.dom.find_all("h1")[0].text() == "crosswire compatibility matrix"
    assert rendered.dom.find_all("html")[0].attrs.get("data-ready") == "yes"
    header = rendered.dom.find_all("header", "top")[0].text()
    for value in ENVIRONMENT.values():
        assert value in header
    assert "1 unexpected failure" in header


def test_page_has_a_grid_per_example_with_labelled_cells(rendered: Rendered) -> None:
    sections = rendered.dom.find_all("section", "example")
    assert [s.attrs["id"] for s in sections] == ["ex-tcp-utf", "ex-tcp-echo"]
    for section in sections:
        assert len(section.find_all("table", "grid")) == 1
    cells = {cell.attrs["data-open-cell"]: cell for cell in rendered.dom.find_all("a", "cell")}
    assert set(cells) == {result.id for result in rendered.results}
    labels = {"pass": "PASS", "fail": "FAIL", "xfail": "XFAIL", "skip": "SKIP"}
    for result in rendered.results:
        cell = cells[result.id]
        assert f"st-{result.status}" in cell.classes()
        assert labels[result.status] in cell.text().split()  # colour is never the only cue
    assert "9.50 ms" in cells[FAIL_ID].text()


def test_fragment_opens_the_failing_cells_details(rendered: Rendered) -> None:
    dialog = rendered.dom.by_id("details")
    assert "open" in dialog.attrs, "the #cell= fragment did not open the details dialog"
    assert dialog.attrs.get("data-cell-id") == FAIL_ID
    shown = dialog.text()
    assert FAIL_ID in shown and "FAIL" in shown
    assert "Why it failed" in shown and FAIL_REASON in shown
    assert "crosswire run tcp-utf --client python --server java --variant fragmented --driver process" in shown
    assert "got <script>alert(1)</script> from the peer" in shown  # shown as text ...
    assert not dialog.find_all("script")  # ... never as markup
    assert "\\xff" in shown and "client.err" in shown and "peers.json" in shown


def test_page_logs_no_script_errors_or_refused_fetches(rendered: Rendered) -> None:
    assert console_messages(rendered.log) == []


def test_screenshot_is_a_full_window_with_the_status_colours(rendered: Rendered) -> None:
    from PIL import Image

    data = rendered.screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == WINDOW
    with Image.open(rendered.screenshot) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20) or []}
    assert (0x1A, 0x7F, 0x37) in colours, "no pass-green in the screenshot"
    assert (0xF2, 0xB6, 0x00) in colours, "no xfail-amber in the screenshot"
    assert (0xC6, 0x28, 0x28) in colours, "no fail-red in the screenshot"
