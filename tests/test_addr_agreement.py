"""Python's ipaddress and inet_aton against Java's InetAddress, over harness/vectors/addresses.toml.

Java is called in-process through JPype, as a library (`crosswire.addr.Addr.parseEventJson`,
the JSON line the CLI prints). A test fails when an answer differs from the one recorded in
harness/vectors/addresses-recorded.json (a new Python, JDK or C library answering
differently), when a disagreement has no explanation, or when the Java tool's "is it a
literal?" gate keeps back a text that InetAddress would answer by itself, or lets through
one it would look up.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crosswire.addr.tool import parse_event
from crosswire.protocol.addresses import comparable
from harness import agreement, sandbox
from harness.drivers import java_executable, peer_environment
from harness.timeouts import CLIENT_TIMEOUT

LOADED = agreement.load_vectors()
VECTORS = LOADED.vectors
RECORDED_WITH, RECORDED = agreement.load_recorded()
RERECORD = "if the new answer is right, run `python -m harness.agreement --record` and explain any new disagreement"
# Messages InetAddress gives when it rejects a literal itself (not the resolver's).
LITERAL_ERRORS = ("invalid IPv6 address literal", "no scope_id found", "no such interface")


def ids(vector: agreement.AddressVector) -> str:
    return vector.name


@pytest.fixture(scope="module")
def java(jvm: Any) -> agreement.JavaParse:
    return agreement.java_from_jpype(jvm)


def live(vector: agreement.AddressVector, java: agreement.JavaParse) -> agreement.Answers:
    return {**agreement.python_answers(vector.text), "java": comparable(java(vector.text))}


@pytest.mark.parametrize("vector", VECTORS, ids=ids)
def test_the_answers_are_the_recorded_ones(vector: agreement.AddressVector, java: agreement.JavaParse) -> None:
    recorded = RECORDED.get(vector.name)
    assert recorded is not None, f"{vector.name} has no recorded answers: {RERECORD}"
    found = live(vector, java)
    changed = agreement.changes({vector.name: recorded}, {vector.name: found})
    assert not changed, f"recorded with {RECORDED_WITH}:\n" + "\n".join(changed) + f"\n{RERECORD}"


def test_the_recording_is_of_exactly_these_vectors() -> None:
    names = [vector.name for vector in VECTORS]
    assert sorted(RECORDED) == sorted(names), RERECORD
    assert all(RECORDED_WITH.get(key) for key in ("python", "java", "libc"))


def test_every_disagreement_is_explained_and_every_explanation_is_needed() -> None:
    rows = agreement.table(VECTORS, RECORDED)
    assert agreement.unexplained(rows, LOADED.explanations) == []
    used = {row.vector.explain for row in rows}
    assert set(LOADED.explanations) <= used, "an [explanation.*] no vector names"


def test_the_vectors_cover_what_the_lecture_needs() -> None:
    texts = {vector.text for vector in VECTORS}
    assert len(VECTORS) >= 60
    wanted = {
        "IPv4": "127.0.0.1", "IPv6 compressed": "2001:db8::1",
        "IPv6 full": "2001:0db8:0000:0000:0000:0000:0000:0001", "IPv4-mapped": "::ffff:1.2.3.4",
        "scoped": "fe80::1%lo", "leading zeros": "017.0.0.1", "three parts": "1.2.3", "two parts": "127.1",
        "bare number": "2130706433", "hex": "0x7f.1", "out of range": "256.1.1.1", "empty": "",
        "garbage": "garbage", "a name": "localhost",
    }
    assert {kind: text for kind, text in wanted.items() if text not in texts} == {}


def test_the_table_shows_every_vector_and_counts_the_disagreements() -> None:
    rows = agreement.table(VECTORS, RECORDED)
    text = agreement.render(rows, LOADED.explanations, RECORDED_WITH)
    assert text.splitlines()[1].split() == ["input", "python", "ipaddress", "python", "inet_aton", "java",
                                            "InetAddress", "agree?"]
    for vector in VECTORS:
        assert json.dumps(vector.text) in text
    disagreeing = sum(not row.agrees for row in rows)
    assert f"disagree on {disagreeing}:" in text


@pytest.mark.parametrize(
    ("python", "java", "kind"),
    [
        ({"valid": False, "reason": "invalid"}, {"valid": False, "reason": "ambiguous"}, "agree"),
        ({"valid": False, "reason": "invalid"}, {"valid": True, "family": "IPv4", "text": "1", "packed": "01"},
         "verdict"),
        ({"valid": True, "family": "IPv6", "text": "::ffff:102:304", "packed": "00ffff01020304"},
         {"valid": True, "family": "IPv4", "text": "1.2.3.4", "packed": "01020304"}, "family"),
        ({"valid": True, "family": "IPv4", "text": "15.0.0.1", "packed": "0f000001"},
         {"valid": True, "family": "IPv4", "text": "17.0.0.1", "packed": "11000001"}, "bytes"),
        ({"valid": True, "family": "IPv6", "text": "::1", "packed": "01"},
         {"valid": True, "family": "IPv6", "text": "0:0:0:0:0:0:0:1", "packed": "01"}, "text"),
    ],
)
def test_disagreements_are_named_by_the_first_thing_that_differs(
    python: dict[str, Any], java: dict[str, Any], kind: str
) -> None:
    assert agreement.disagreement(python, java) == kind


def resolver_consulted(jvm: Any, text: str) -> bool:
    """Whether a raw `InetAddress.getByName(text)` went to the resolver rather than deciding itself."""
    string = jvm.JClass("java.lang.String")
    utf8 = jvm.JClass("java.nio.charset.StandardCharsets").UTF_8
    java_text = string(jvm.JArray(jvm.JByte)(text.encode("utf-8")), utf8)
    try:
        address = jvm.JClass("java.net.InetAddress").getByName(java_text)
    except jvm.JClass("java.net.UnknownHostException") as error:
        cause = error.getCause()
        if cause is not None and str(cause.getClass().getName()) == "java.lang.IllegalArgumentException":
            return False
        return not any(phrase in str(error.getMessage()) for phrase in LITERAL_ERRORS)
    return text != "" and not str(address.toString()).startswith("/")


@pytest.mark.parametrize("vector", VECTORS, ids=ids)
def test_java_is_asked_exactly_about_the_texts_it_decides_without_the_resolver(
    vector: agreement.AddressVector, jvm: Any, java: agreement.JavaParse
) -> None:
    """The gate in crosswire.addr.Literals, checked against raw getByName (whose lookups stay inside the sandbox)."""
    if sandbox.mode() != "netns":
        pytest.skip("raw getByName would send these names to the real resolver outside the network sandbox")
    kept_back = java(vector.text).get("reason") == "name"
    assert kept_back == resolver_consulted(jvm, vector.text)


ASCII_ARGUMENTS = [v.text for v in VECTORS if v.text.isascii() and v.text.isprintable()]


def cli_lines(command: list[str]) -> list[dict[str, Any]]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=CLIENT_TIMEOUT, env=peer_environment())
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_java_cli_prints_what_the_library_answers(jar: Path, java: agreement.JavaParse) -> None:
    command = [java_executable(), "-cp", str(jar), "crosswire.addr.Addr", "--json", "parse", "--", *ASCII_ARGUMENTS]
    events = cli_lines(command)
    assert [event["input"] for event in events] == ASCII_ARGUMENTS
    assert [event["inetaddress"] for event in events] == [java(text) for text in ASCII_ARGUMENTS]


def test_the_python_cli_prints_what_the_library_answers() -> None:
    events = cli_lines([sys.executable, "-m", "crosswire.addr", "parse", "--json", "--", *ASCII_ARGUMENTS])
    assert events == [parse_event(text) for text in ASCII_ARGUMENTS]


def test_the_recorded_block_is_the_table_the_docs_show() -> None:
    """docs/examples/addresses.md pastes `python -m harness.agreement --recorded`; keep it current."""
    docs = (Path(__file__).resolve().parents[1] / "docs" / "examples" / "addresses.md").read_text(encoding="utf-8")
    assert agreement.recorded_block().rstrip("\n") in docs
