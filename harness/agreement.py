"""The address agreement table: Python's ipaddress and inet_aton against Java's InetAddress.

Rows come from harness/vectors/addresses.toml. For each text the answers are
those of `python -m crosswire.addr parse` (ipaddress.ip_address, socket.inet_aton)
and of `crosswire.addr.Addr parse` (InetAddress.getByName on literals only),
the latter called in-process through JPype as a library: `Addr.parseEventJson`
returns the very JSON line the CLI prints.

Java *agrees* with Python when it gives the same verdict as `ipaddress` and,
for an address, the same family, bytes and text. Every disagreement must name
an explanation in the vectors file. The answers are recorded in
addresses-recorded.json, so a new Python, JDK or C library that answers
differently is noticed (tests/test_addr_agreement.py).

    python -m harness.agreement             the table, answers computed now (starts a JVM)
    python -m harness.agreement --recorded  the table from the recording (no JVM)
    python -m harness.agreement --record    compute, then rewrite the recording

`table()` (rows as data) and `render()` (plain text) are separate, and
`recorded_block()` is the whole text from the recording, for `crosswire
matrix` to show as a block of its own.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crosswire.addr.tool import parse_event
from crosswire.protocol.addresses import Answer, comparable, quoted

VECTORS = Path(__file__).resolve().parent / "vectors" / "addresses.toml"
RECORDED = VECTORS.with_name("addresses-recorded.json")
PARSERS = ("ipaddress", "inet_aton", "java")
AGREE = "agree"
JavaParse = Callable[[str], Answer]


class VectorError(ValueError):
    """The vectors file is malformed."""


@dataclass(frozen=True)
class AddressVector:
    name: str
    group: str
    text: str
    explain: str | None = None


@dataclass(frozen=True)
class Explanation:
    key: str
    title: str
    text: str


@dataclass(frozen=True)
class Vectors:
    vectors: tuple[AddressVector, ...]
    explanations: dict[str, Explanation]


def load_vectors(path: Path = VECTORS) -> Vectors:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    explanations = {
        key: Explanation(key, str(entry["title"]), str(entry["text"]).strip())
        for key, entry in data.get("explanation", {}).items()
    }
    vectors = []
    for entry in data.get("vector", []):
        unknown = set(entry) - {"name", "group", "text", "explain"}
        if unknown:
            raise VectorError(f"vector {entry.get('name')!r}: unknown keys {sorted(unknown)}")
        vectors.append(AddressVector(entry["name"], entry["group"], entry["text"], entry.get("explain")))
    names = [vector.name for vector in vectors]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise VectorError(f"vector names must be unique: {duplicates}")
    return Vectors(tuple(vectors), explanations)


# --- answers -------------------------------------------------------------------------


Answers = dict[str, Answer]  # parser -> comparable answer


def python_answers(text: str) -> Answers:
    event = parse_event(text)
    return {"ipaddress": comparable(event["ipaddress"]), "inet_aton": comparable(event["inet_aton"])}


def java_from_jpype(jpype: Any) -> JavaParse:
    """Java's answer through `crosswire.addr.Addr.parseEventJson` in a started JVM.

    Text crosses as UTF-8 bytes decoded by `new String(bytes, UTF_8)`: JPype's
    own str conversion is not trusted with every character (see
    test_calc_java_agrees.py); the returned JSON is ASCII.
    """
    addr = jpype.JClass("crosswire.addr.Addr")
    string = jpype.JClass("java.lang.String")
    utf8 = jpype.JClass("java.nio.charset.StandardCharsets").UTF_8
    byte_array = jpype.JArray(jpype.JByte)

    def parse(text: str) -> Answer:
        event = json.loads(str(addr.parseEventJson(string(byte_array(text.encode("utf-8")), utf8))))
        answer: Answer = event["inetaddress"]
        return answer

    return parse


def start_java() -> tuple[JavaParse, str]:
    """A JVM with the project jar (built if needed), and its version."""
    from harness import build  # only here: building the jar is not needed for --recorded

    jpype = importlib.import_module("jpype")
    if not jpype.isJVMStarted():
        jpype.startJVM(classpath=[str(build.ensure_jar())], convertStrings=False)
    version = str(jpype.JClass("java.lang.System").getProperty("java.version"))
    return java_from_jpype(jpype), version


def live_answers(vectors: Iterable[AddressVector], java: JavaParse) -> dict[str, Answers]:
    return {
        vector.name: {**python_answers(vector.text), "java": comparable(java(vector.text))} for vector in vectors
    }


def environment(java_version: str) -> dict[str, str]:
    libc, libc_version = platform.libc_ver()
    return {"python": platform.python_version(), "java": java_version, "libc": f"{libc} {libc_version}".strip()}


def load_recorded(path: Path = RECORDED) -> tuple[dict[str, str], dict[str, Answers]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = {name: {parser: entry[parser] for parser in PARSERS} for name, entry in data["vectors"].items()}
    return data["recorded_with"], answers


def write_recorded(
    vectors: Sequence[AddressVector], answers: dict[str, Answers], env: dict[str, str], path: Path = RECORDED
) -> None:
    """One line per answer, so a changed answer is a one-line diff."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=True)

    entries = []
    for vector in vectors:
        lines = [f"  {dumps(vector.name)}: {{", f"   \"input\": {dumps(vector.text)},"]
        lines += [f"   {dumps(parser)}: {dumps(answers[vector.name][parser])}," for parser in PARSERS]
        lines[-1] = lines[-1].rstrip(",")
        entries.append("\n".join(lines) + "\n  }")
    text = f'{{\n "recorded_with": {dumps(env)},\n "vectors": {{\n' + ",\n".join(entries) + "\n }\n}\n"
    path.write_text(text, encoding="utf-8")


def changes(recorded: dict[str, Answers], live: dict[str, Answers]) -> list[str]:
    """One line per answer that differs from the recording (or has none)."""
    found = []
    for name, answers in live.items():
        for parser in PARSERS:
            before = recorded.get(name, {}).get(parser)
            if before != answers[parser]:
                found.append(f"{name}: {parser} answered {answers[parser]}, recorded {before}")
    return found


# --- the table -----------------------------------------------------------------------


def disagreement(python: Answer, java: Answer) -> str:
    """How Java's answer differs from ipaddress's: "agree", or verdict, family, bytes, text."""
    if not python["valid"] and not java["valid"]:
        return AGREE
    if python["valid"] != java["valid"]:
        return "verdict"
    for field, kind in (("family", "family"), ("packed", "bytes"), ("text", "text")):
        if python[field] != java[field]:
            return kind
    return AGREE


@dataclass(frozen=True)
class Row:
    vector: AddressVector
    answers: Answers
    agreement: str

    @property
    def agrees(self) -> bool:
        return self.agreement == AGREE


def table(vectors: Iterable[AddressVector], answers: dict[str, Answers]) -> list[Row]:
    rows = []
    for vector in vectors:
        found = answers[vector.name]
        rows.append(Row(vector, found, disagreement(found["ipaddress"], found["java"])))
    return rows


def unexplained(rows: Iterable[Row], explanations: dict[str, Explanation]) -> list[str]:
    """Disagreements without an explanation, agreements with a stale one, unknown explanation keys."""
    problems = []
    for row in rows:
        key = row.vector.explain
        if not row.agrees and key is None:
            problems.append(f"{row.vector.name}: Java and Python disagree ({row.agreement}), no `explain`")
        elif row.agrees and key is not None:
            problems.append(f"{row.vector.name}: Java and Python agree now; drop `explain = {key!r}`")
        elif key is not None and key not in explanations:
            problems.append(f"{row.vector.name}: no [explanation.{key}] in the vectors file")
    return problems


def cell(answer: Answer) -> str:
    return str(answer["text"]) if answer["valid"] else f"({answer['reason']})"


def agreement_cell(row: Row) -> str:
    return "yes" if row.agrees else f"no: {row.agreement} [{row.vector.explain}]"


def render(rows: Sequence[Row], explanations: dict[str, Explanation], env: dict[str, str] | None = None) -> str:
    """The table as plain text: a header, one line per vector under its group, then the explanations."""
    header = ("input", "python ipaddress", "python inet_aton", "java InetAddress", "agree?")
    lines_by_group: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        lines_by_group.setdefault(row.vector.group, []).append(
            (
                quoted(row.vector.text),
                cell(row.answers["ipaddress"]),
                cell(row.answers["inet_aton"]),
                cell(row.answers["java"]),
                agreement_cell(row),
            )
        )
    every = [header, *(line for group in lines_by_group.values() for line in group)]
    widths = [max(len(line[i]) for line in every) for i in range(len(header))]

    def fmt(line: tuple[str, ...]) -> str:
        return "  ".join(part.ljust(width) for part, width in zip(line, widths, strict=True)).rstrip()

    out = []
    if env:
        out.append("Recorded with " + ", ".join(f"{key} {value}" for key, value in env.items()))
    out += [fmt(header), fmt(tuple("-" * width for width in widths))]
    for group, group_lines in lines_by_group.items():
        out.append(f"# {group}")
        out += [fmt(line) for line in group_lines]
    disagreeing = [row for row in rows if not row.agrees]
    out.append("")
    out.append(f"{len(rows)} inputs; Java and Python ipaddress disagree on {len(disagreeing)}:")
    for key in sorted({row.vector.explain for row in disagreeing if row.vector.explain}):
        count = sum(row.vector.explain == key for row in disagreeing)
        title = explanations[key].title if key in explanations else "(no explanation)"
        out.append(f"  {count:3}  [{key}] {title}")
    out.append("(answer) is a reason, not an address: invalid, ambiguous (Java refuses to guess), name (not a literal)")
    return "\n".join(out) + "\n"


def recorded_block() -> str:
    """The table from the recording, as `crosswire matrix` can print it (no JVM needed)."""
    loaded = load_vectors()
    env, answers = load_recorded()
    return render(table(loaded.vectors, answers), loaded.explanations, env)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.agreement", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--recorded", action="store_true", help="show the recorded answers (no JVM)")
    mode.add_argument("--record", action="store_true", help="compute the answers and rewrite the recording")
    args = parser.parse_args(argv)

    loaded = load_vectors()
    if args.recorded:
        env, answers = load_recorded()
    else:
        java, java_version = start_java()
        env, answers = environment(java_version), live_answers(loaded.vectors, java)
        if args.record:
            write_recorded(loaded.vectors, answers, env)
            print(f"recorded {len(answers)} vectors in {RECORDED}", file=sys.stderr)
    rows = table(loaded.vectors, answers)
    sys.stdout.write(render(rows, loaded.explanations, env))
    problems = unexplained(rows, loaded.explanations)
    for problem in problems:
        print(f"agreement: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
