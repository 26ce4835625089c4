"""The matrix as JUnit XML, for CI systems that draw test results.

One <testsuite> per example, one <testcase> per cell (name = cell id,
classname = example, time = seconds). Statuses map as:

- pass  → a plain testcase;
- fail  → <failure message="detail"> with every problem, one per line;
- skip  → <skipped message="reason">;
- xfail → a *passed* testcase whose <system-out> says "expected failure: …".
  JUnit has no expected-failure state; reporting it as passed keeps a CI
  dashboard green for known incompatibilities (as `crosswire matrix` exits 0
  for them), while the note keeps the reason visible. An unexpected pass is
  already a "fail" in the results, so nothing is hidden.

Every cell with a log bundle also names its log directory and replay command
in <system-out>.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from harness.runner import CellResult

# Characters XML 1.0 does not allow at all, even as character references.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML 1.0 forbids (NUL, most C0 controls, lone surrogates) shown as \\xNN/\\uNNNN."""
    def visible(match: re.Match[str]) -> str:
        code = ord(match[0])
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _FORBIDDEN.sub(visible, text)


def replay_of(result: CellResult) -> str | None:
    """The replay command recorded in the cell's cell.json, if there is a readable one."""
    if not result.log_dir:
        return None
    try:
        bundle = json.loads((Path(result.log_dir) / "cell.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    replay = bundle.get("replay") if isinstance(bundle, dict) else None
    return replay if isinstance(replay, str) else None


def testcase(result: CellResult) -> ET.Element:
    case = ET.Element("testcase", {
        "name": xml_safe(result.id or f"{result.example}[{result.client}->{result.server}:{result.variant}]"),
        "classname": xml_safe(result.example),
        "time": f"{result.seconds:.3f}",
    })
    notes: list[str] = []
    if result.status == "fail":
        failure = ET.SubElement(case, "failure", {"message": xml_safe(result.detail), "type": "fail"})
        failure.text = xml_safe("\n".join(result.problems) or result.detail)
    elif result.status == "skip":
        ET.SubElement(case, "skipped", {"message": xml_safe(result.detail)})
    elif result.status == "xfail":
        notes.append(f"expected failure: {result.detail}")
        notes += [f"  - {problem}" for problem in result.problems]
    if result.rtt_ms_median is not None:
        notes.append(f"median round trip: {result.rtt_ms_median:.3f} ms")
    if result.log_dir:
        notes.append(f"logs: {result.log_dir}")
        replay = replay_of(result)
        if replay:
            notes.append(f"replay: {replay}")
    if notes:
        ET.SubElement(case, "system-out").text = xml_safe("\n".join(notes))
    return case


def suite(example: str, results: Sequence[CellResult]) -> ET.Element:
    element = ET.Element("testsuite", {
        "name": xml_safe(example),
        "tests": str(len(results)),
        "failures": str(sum(r.status == "fail" for r in results)),
        "errors": "0",
        "skipped": str(sum(r.status == "skip" for r in results)),
        "time": f"{sum(r.seconds for r in results):.3f}",
    })
    element.extend(testcase(result) for result in results)
    return element


def build(results: Sequence[CellResult]) -> ET.ElementTree[ET.Element]:
    """The <testsuites> document: one suite per example, in the order the examples first appear."""
    suites = [
        suite(example, [r for r in results if r.example == example])
        for example in dict.fromkeys(r.example for r in results)
    ]
    root = ET.Element("testsuites", {
        "name": "crosswire matrix",
        "tests": str(len(results)),
        "failures": str(sum(r.status == "fail" for r in results)),
        "errors": "0",
        "skipped": str(sum(r.status == "skip" for r in results)),
        "time": f"{sum(r.seconds for r in results):.3f}",
    })
    root.extend(suites)
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(path: Path | str, results: Sequence[CellResult]) -> None:
    """Write the results as JUnit XML (UTF-8, with an XML declaration) to `path`."""
    build(results).write(Path(path), encoding="utf-8", xml_declaration=True)
