"""The Java jar: rebuilt by Gradle only when the Java sources changed, once per session.

A digest of every Java source and build file is written beside the jar; a
build runs only when the digest differs. An exclusive file lock makes
parallel callers (every xdist worker asks) wait for one build instead of
starting several.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from harness.timeouts import BUILD_TIMEOUT

ROOT = Path(__file__).resolve().parents[1]
GRADLE_JAR = ROOT / "build" / "libs" / "crosswire.jar"
# Peers run this copy, replaced atomically after each build: a JVM that is running
# keeps the jar it opened, even when someone rebuilds while a suite runs.
JAR = ROOT / "build" / "crosswire.jar"
STAMP = JAR.with_name("crosswire.jar.sha256")
LOCK = ROOT / "build" / ".jar.lock"
BUILD_FILES = ("build.gradle", "settings.gradle")
GRADLE_COMMAND = ["gradle", "--offline", "--no-daemon", "--quiet", "jar"]


class BuildError(RuntimeError):
    """The jar could not be built; the message says what to install or fix."""


def sources_digest(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted((root / "java").rglob("*.java")) + [root / name for name in BUILD_FILES]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def is_fresh() -> bool:
    return JAR.is_file() and STAMP.is_file() and STAMP.read_text().strip() == sources_digest()


def ensure_jar() -> Path:
    """The path of an up-to-date jar, building it first if the sources changed."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not is_fresh():
            build()
    return JAR


def build() -> None:
    if shutil.which("gradle") is None:
        raise BuildError(
            "Gradle is not installed, so the Java peers cannot be built: run ./bootstrap "
            "(as root it installs Debian's gradle and openjdk-17-jdk-headless)"
        )
    digest = sources_digest()
    try:
        result = subprocess.run(
            GRADLE_COMMAND, cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise BuildError(f"gradle did not finish within {BUILD_TIMEOUT:.0f} s") from None
    if result.returncode != 0 or not GRADLE_JAR.is_file():
        raise BuildError(
            f"`{' '.join(GRADLE_COMMAND)}` failed (status {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )
    staged = JAR.with_suffix(".jar.new")
    shutil.copyfile(GRADLE_JAR, staged)
    os.replace(staged, JAR)
    STAMP.write_text(digest + "\n")
