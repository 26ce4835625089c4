"""The HTML and JUnit reports, from hand-made results and log bundles (no peers are run)."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from harness import environment, html_report, junit_report
from harness.runner import CellResult

ENVIRONMENT = {
    "date": "2025-01-02 03:04:05 UTC",
    "machine": "lab-pc (Linux 6.1, x86_64)",
    "python": "CPython 3.11.7",
    "java": "openjdk 17.0.15",
    "gradle": "Gradle 4.4.1",
}
HOSTILE_LINE = b"got <script>alert(1)</script> from the peer\n"
BAD_BYTES = b"modified UTF-8 NUL: \xc0\x80, and a stray \xff byte\n"
FAIL_REASON = "vector 'nul': expected reply 2 bytes (c080), got 1 bytes (00)"


def bundle(log_dir: Path, cell_id: str, replay: str, logs: dict[str, bytes]) -> str:
    """A log bundle as harness.runner leaves it: cell.json, peers.json and the peers' output."""
    log_dir.mkdir(parents=True)
    for name, content in logs.items():
        (log_dir / name).write_bytes(content)
    (log_dir / "peers.json").write_text(json.dumps({"server": {"command": "java -cp x Server", "exit_status": 143}}))
    (log_dir / "cell.json").write_text(json.dumps({"result": {"id": cell_id}, "driver": "process", "replay": replay}))
    return str(log_dir)


def sample_results(root: Path) -> list[CellResult]:
    """Two examples with one cell of each status; one transcript is hostile and not UTF-8, one is large."""
    fail_id = "tcp-utf[python-client->java-server:fragmented]"
    return [
        CellResult(
            example="tcp-utf", client="python", server="java", variant="plain", status="pass",
            rtt_ms_median=0.234, detail="12 vectors", id="tcp-utf[python-client->java-server]",
            log_dir=bundle(root / "pass", "tcp-utf[python-client->java-server]",
                           "crosswire run tcp-utf --client python --server java --variant plain --driver process",
                           {"server.out": b"READY 127.0.0.1:4242\n", "server.err": b"",
                            "client.out": b'{"event": "reply"}\n' * 4000, "client.err": b""}),
            seconds=0.71,
        ),
        CellResult(
            example="tcp-utf", client="python", server="java", variant="fragmented", status="fail",
            rtt_ms_median=9.5, detail=FAIL_REASON, id=fail_id,
            log_dir=bundle(root / "fail", fail_id,
                           "crosswire run tcp-utf --client python --server java --variant fragmented --driver process",
                           {"server.out": b"READY 127.0.0.1:4243\n", "client.err": HOSTILE_LINE + BAD_BYTES,
                            "client.out": b"bell \x07 and escape \x1b[31m\n"}),
            seconds=1.25,
            problems=[FAIL_REASON, "vector 'tag': expected reply <b>, got </b>\x00"],
        ),
        CellResult(
            example="tcp-utf", client="java", server="python", variant="plain", status="skip",
            rtt_ms_median=None, detail="no JVM on this machine", id="tcp-utf[java-client->python-server]",
            log_dir=str(root / "never-written"), seconds=0.0,
        ),
        CellResult(
            example="tcp-echo", client="naive", server="python", variant="fragmented", status="xfail",
            rtt_ms_median=0.65, detail="expected: one recv() is not one reply (got: vector 'ascii': short reply)",
            id="tcp-echo[naive-client->python-server:fragmented]",
            log_dir=bundle(root / "xfail", "tcp-echo[naive-client->python-server:fragmented]",
                           "crosswire run tcp-echo --client naive --server python --variant fragmented",
                           {"client.out": b"Received Hello\n"}),
            seconds=0.4, problems=["vector 'ascii': short reply"],
        ),
        CellResult(
            example="tcp-echo", client="naive", server="python", variant="plain", status="pass",
            rtt_ms_median=0.05, detail="8 vectors", id="tcp-echo[naive-client->python-server]", log_dir="",
            seconds=0.2,
        ),
    ]


@pytest.fixture
def results(tmp_path: Path) -> list[CellResult]:
    return sample_results(tmp_path / "logs")


@pytest.fixture
def page(tmp_path: Path, results: list[CellResult]) -> str:
    path = tmp_path / "report.html"
    html_report.write_html(path, results, ENVIRONMENT, [("agreement", "java  python\n<both agree>")])
    return path.read_bytes().decode("utf-8")  # strict: the page is valid UTF-8


def test_html_names_every_cell_and_status(page: str, results: list[CellResult]) -> None:
    for result in results:
        assert html.escape(result.id) in page
    for label in ("PASS", "FAIL", "XFAIL", "SKIP"):
        assert f"</span> {label}</span>" in page  # the text label beside the colour
    assert 'class="cell st-fail"' in page and 'class="cell st-xfail"' in page


def test_html_header_has_title_environment_and_summary(page: str) -> None:
    assert "<h1>crosswire compatibility matrix</h1>" in page
    for value in ENVIRONMENT.values():
        assert html.escape(value) in page
    assert "1 unexpected failure<" in page
    assert "<b>2</b> PASS" in page and "<b>1</b> FAIL" in page and "<b>1</b> XFAIL" in page


def test_html_has_one_grid_per_example_with_variant_columns(page: str) -> None:
    assert page.count('<table class="grid">') == 2
    assert 'id="ex-tcp-utf"' in page and 'id="ex-tcp-echo"' in page
    assert 'title="java / fragmented"' in page and 'title="python / plain"' in page


def test_html_transcript_is_escaped_and_shows_bad_bytes(page: str) -> None:
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\\xc0" in page and "\\xff" in page and "not valid UTF-8" in page
    assert "\\x1b" in page and "\\x07" in page  # control characters made visible
    assert "expected reply &lt;b&gt;, got &lt;/b&gt;" in page
    assert page.count("<script") == 1  # only the page's own


def test_html_details_have_reason_problems_replay_and_logs(page: str) -> None:
    opening = f'<template data-cell-id="{html.escape("tcp-utf[python-client->java-server:fragmented]")}">'
    template = re.search(re.escape(opening) + "(.*?)</template>", page, re.S)
    assert template is not None
    details = template[1]
    assert "Why it failed" in details and html.escape(FAIL_REASON) in details
    assert "Problems (2)" in details
    assert "crosswire run tcp-utf --client python --server java --variant fragmented" in details
    for name in ("server.out", "client.out", "client.err", "peers.json"):
        assert f"<b>{name}</b>" in details
    assert "cell.json</b>" not in details


def test_html_truncates_large_logs_and_reports_missing_ones(page: str) -> None:
    assert "truncated: showing the first" in page and "of 76,000 bytes" in page
    assert "bytes omitted" in page
    assert "never-written</code> does not exist" in page
    assert "names no log directory" in page


def test_html_loads_nothing_from_the_network(page: str) -> None:
    assert not re.search(r"""(src|href|action|poster|data)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:)?//", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "default-src &#x27;none&#x27;" in page  # the browser itself refuses any fetch


def test_html_appends_extra_blocks(page: str) -> None:
    assert "<h2>agreement</h2><pre>java  python\n&lt;both agree&gt;</pre>" in page


def test_html_without_results_still_renders(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    html_report.write_html(path, [], ENVIRONMENT)
    assert "No cells were run." in path.read_text(encoding="utf-8")


def test_junit_counts_per_suite(tmp_path: Path, results: list[CellResult]) -> None:
    path = tmp_path / "junit.xml"
    junit_report.write_junit(path, results)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "1", "1")
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == ["tcp-utf", "tcp-echo"]
    utf, echo = suites["tcp-utf"], suites["tcp-echo"]
    assert (utf.get("tests"), utf.get("failures"), utf.get("skipped")) == ("3", "1", "1")
    assert (echo.get("tests"), echo.get("failures"), echo.get("skipped")) == ("2", "0", "0")
    assert len(utf.findall("testcase/failure")) == 1 and len(utf.findall("testcase/skipped")) == 1
    assert not echo.findall("testcase/failure") and not echo.findall("testcase/skipped")


def test_junit_testcases_carry_reasons(tmp_path: Path, results: list[CellResult]) -> None:
    path = tmp_path / "junit.xml"
    junit_report.write_junit(path, results)
    cases = {case.get("name"): case for case in ET.parse(path).getroot().iter("testcase")}
    assert set(cases) == {r.id for r in results}
    failed = cases["tcp-utf[python-client->java-server:fragmented]"]
    assert failed.get("classname") == "tcp-utf" and failed.get("time") == "1.250"
    failure = failed.find("failure")
    assert failure is not None and failure.get("message") == FAIL_REASON
    assert failure.text is not None and "got </b>\\x00" in failure.text  # NUL is not allowed in XML 1.0
    expected = cases["tcp-echo[naive-client->python-server:fragmented]"]
    assert expected.find("failure") is None and expected.find("skipped") is None
    out = expected.findtext("system-out") or ""
    assert out.startswith("expected failure: expected: one recv() is not one reply")
    assert "replay: crosswire run tcp-echo" in out
    skipped = cases["tcp-utf[java-client->python-server]"].find("skipped")
    assert skipped is not None and skipped.get("message") == "no JVM on this machine"


def test_junit_escapes_characters_xml_forbids(tmp_path: Path) -> None:
    nasty = CellResult(example="udp-echo", client="python", server="java", variant="plain", status="fail",
                       rtt_ms_median=None, detail="got \x00\x1b[0m \ud800 ]]> & <", id="udp-echo[x]",
                       problems=["\x0c"])
    path = tmp_path / "junit.xml"
    junit_report.write_junit(path, [nasty])
    failure = ET.parse(path).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "got \\x00\\x1b[0m \\ud800 ]]> & <"
    assert failure.text == "\\x0c"


def test_environment_summaries() -> None:
    java = ('openjdk version "17.0.15" 2025-04-15\n'
            "OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n"
            "OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)\n")
    assert environment.java_summary(java) == "openjdk 17.0.15 (build 17.0.15+6-Debian-1deb12u1)"
    gradle = "\n------------------------------------------------------------\nGradle 8.5\n----\n\nBuild time: x\n"
    assert environment.gradle_summary(gradle) == "Gradle 8.5"
    assert environment.tool_output(["crosswire-no-such-tool", "--version"]).startswith("(crosswire-no-such-tool not")


def test_environment_gather_has_every_key() -> None:
    facts = environment.gather()
    assert list(facts) == list(environment.KEYS)
    assert all(facts.values())
    assert environment.java() is environment.java()  # asked once per process
