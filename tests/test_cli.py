"""The `crosswire` command as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from harness.drivers import peer_environment
from harness.timeouts import CLIENT_TIMEOUT


def crosswire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], capture_output=True, text=True,
                          timeout=CLIENT_TIMEOUT * 2, env={**peer_environment(), "COLUMNS": "140"})


def test_list_names_every_example_and_peer() -> None:
    result = crosswire("list")
    assert result.returncode == 0
    for text in ("udp-echo:", "tcp-utf:", "multicast:", "crosswire.udpecho.UDPServer", "builtin harness.reference"):
        assert text in result.stdout


def test_matrix_writes_every_cell_as_json(tmp_path: Path, jar: Path) -> None:
    out = tmp_path / "cells.json"
    result = crosswire("matrix", "--example", "udp-echo", "--json", str(out), "--logs", str(tmp_path / "logs"))
    assert result.returncode == 0, result.stdout + result.stderr
    cells = json.loads(out.read_text())
    assert {c["client"] for c in cells} >= {"python", "java"}
    assert all(set(c) == {"example", "client", "server", "variant", "status", "rtt_ms_median", "detail"}
               for c in cells)
    assert {c["status"] for c in cells} == {"pass"}
    assert "udp-echo: " in result.stdout and "as expected" in result.stdout


def test_matrix_filters_by_language(tmp_path: Path, jar: Path) -> None:
    out = tmp_path / "cells.json"
    crosswire("matrix", "--example", "udp-echo", "--client-lang", "java", "--server-lang", "python",
              "--json", str(out), "--logs", str(tmp_path / "logs"))
    pairs = {(c["client"], c["server"]) for c in json.loads(out.read_text())}
    assert pairs == {("java", "python"), ("java", "reference")}  # the reference peers are Python too


def test_demo_shows_both_sides_and_ends_with_a_verdict(tmp_path: Path, jar: Path) -> None:
    result = crosswire("demo", "udp-echo", "--client", "java", "--server", "python", "--logs", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("PASS: udp-echo[java-client->python-server]")
    assert any("recv" in line and "│" in line for line in lines)
    assert any("reply seq=0" in line for line in lines)


def test_demo_of_the_naive_client_under_fragmentation_is_an_expected_failure(tmp_path: Path) -> None:
    result = crosswire("demo", "tcp-echo", "--client", "naive", "--server", "python", "--variant", "fragmented",
                       "--logs", str(tmp_path))
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].startswith("XFAIL: tcp-echo[naive-client->python-server:fragmented]")


def test_show_puts_the_twins_side_by_side() -> None:
    result = crosswire("show", "udp-echo")
    assert result.returncode == 0
    assert "python/crosswire/udpecho/server.py" in result.stdout
    assert "java/src/crosswire/udpecho/UDPServer.java" in result.stdout


def test_an_unknown_cell_lists_the_cells_that_exist() -> None:
    result = crosswire("run", "udp-echo", "--client", "cobol", "--server", "python")
    assert result.returncode == 2
    assert "--client java --server python" in result.stderr


def test_bench_times_every_pair_and_draws_the_chart(tmp_path: Path, jar: Path) -> None:
    chart = tmp_path / "bench.png"
    result = crosswire("bench", "udp-echo", "--messages", "50", "--plot", str(chart), "--logs", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines()
            if " -> " in line and len(line.split()) > 3 and line.split()[3].isdigit()]
    assert {row.split()[0] + row.split()[2] for row in rows} >= {"pythonjava", "javapython", "javajava"}
    assert all(int(row.split()[3]) == 50 for row in rows)  # every message answered
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_expected_failure_is_stale_only_if_no_cell_of_its_example_and_variant_matches() -> None:
    from dataclasses import replace

    from harness import manifest
    from harness.cli import unmatched_expected_failures

    loaded = manifest.load()
    java_only = [c for c in loaded.cells(["tcp-echo"]) if c.client.language == "java"]
    assert java_only and all(c.client.name != "naive" for c in java_only)
    assert unmatched_expected_failures(loaded, java_only) == []  # the naive cells exist, only filtered out

    wrong = replace(loaded.expected_failures[0], client="no-such-client")
    stale = unmatched_expected_failures(replace(loaded, expected_failures=[wrong]), java_only)
    assert len(stale) == 1 and "no-such-client" in stale[0]
