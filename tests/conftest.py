"""Session set-up for the whole suite: the sandbox, the jar, the JVM, the matrix.

- Before anything else the pytest controller re-executes itself inside the
  network sandbox (harness/sandbox.py); xdist workers, peers and JVMs are
  started from there and inherit it.
- The jar is built (only if the Java sources changed) under a file lock, so
  the xdist workers wait for one build instead of running one each.
- `tests/matrix.toml` is collected as the compatibility matrix: one test per
  manifest cell, named like `udp-echo[java-client->python-server]`. By default
  each cell runs under both drivers (the programs as processes, and in-process)
  and fails if their verdicts differ; `--driver inproc` is the fast inner loop.
"""

from __future__ import annotations

import os
import signal
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from harness import build, manifest, sandbox
from harness import jvm as harness_jvm
from harness.drivers import DRIVER_CHOICES, drivers_named
from harness.runner import DEFAULT_LOG_ROOT, CellResult, explain, run_cell_with

LOG_ROOT = DEFAULT_LOG_ROOT / "pytest"


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Inside the sandbox the controller is PID 1, which ignores SIGTERM unless handled.
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--driver", choices=DRIVER_CHOICES, default="both",
        help="how matrix cells run their peers: as processes, in-process, or both, which must agree (default)",
    )


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    if not sandbox.mode():
        capture = config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.stop_global_capturing()  # give the re-executed pytest the real stdout
        sandbox.enter([sys.executable, "-m", "pytest", *config.invocation_params.args])
    elif os.getpid() == 1:
        sandbox.configure_loopback()
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


def pytest_report_header(config: pytest.Config) -> str:
    return f"crosswire network: {sandbox.describe()}"


@pytest.fixture(scope="session")
def jar() -> Path:
    """The project jar, up to date with the Java sources (built once per session)."""
    return build.ensure_jar()


@pytest.fixture(scope="session")
def jvm(jar: Path) -> Any:
    """The worker's one JVM (JPype, harness/jvm.py), shared with the in-process driver."""
    pytest.importorskip("jpype")
    return harness_jvm.start()


@pytest.fixture(scope="session")
def peers() -> manifest.Manifest:
    return manifest.load()


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    return tmp_path


# --- the matrix, collected from tests/matrix.toml --------------------------------


class CellFailed(Exception):
    def __init__(self, result: CellResult) -> None:
        super().__init__(result.detail)
        self.result = result


class CellItem(pytest.Item):
    """One manifest cell; its verdict comes from harness.runner, like `crosswire matrix`."""

    def __init__(self, *, cell: manifest.Cell, loaded: manifest.Manifest, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cell = cell
        self.loaded = loaded
        if cell.involves_reference:
            self.add_marker(pytest.mark.reference)

    def runtest(self) -> None:
        drivers = drivers_named(self.config.getoption("--driver"))
        result = run_cell_with(self.cell, self.loaded, drivers, LOG_ROOT)
        if result.status == "xfail":
            pytest.xfail(result.detail)
        if result.status == "skip":
            pytest.skip(result.detail)
        if result.status != "pass":
            raise CellFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CellFailed):
            return explain(excinfo.value.result)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


class MatrixFile(pytest.File):
    def collect(self) -> Iterator[CellItem]:
        selection = tomllib.loads(self.path.read_text(encoding="utf-8"))
        loaded = manifest.load()
        for cell in loaded.cells(selection.get("examples") or None):
            yield CellItem.from_parent(self, name=cell.id, cell=cell, loaded=loaded)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.name == "matrix.toml" and file_path.parent.name == "tests":
        return MatrixFile.from_parent(parent, path=file_path)
    return None
