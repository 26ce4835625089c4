"""The Python is typed (mypy --strict) and linted (ruff), as STYLE.md asks.

(The Java's twin of this check is the build itself: -Xlint:all -Werror.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL_TIMEOUT = 300


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=TOOL_TIMEOUT
    )


@pytest.mark.slow
def test_ruff_finds_nothing() -> None:
    result = run_tool("ruff", "check", "python", "harness", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict_finds_nothing() -> None:
    result = run_tool("mypy", "--cache-dir", "/tmp/crosswire-mypy-cache")
    assert result.returncode == 0, result.stdout + result.stderr
