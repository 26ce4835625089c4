"""Where a matrix ran: machine, Python, Java and Gradle versions, and the date, for report headers.

The tool versions come from running `java -version` and `gradle --version`
(each bounded by a timeout) once per process; a missing or hanging tool is
reported as such in the value rather than raised, since a report must still
be written on a machine without Java.
"""

from __future__ import annotations

import functools
import platform
import re
import shutil
import subprocess
from datetime import datetime

from harness.timeouts import SCALE

VERSION_TIMEOUT = 60.0 * SCALE  # `gradle --version` starts a JVM: seconds on a cold cache
KEYS = ("date", "machine", "python", "java", "gradle")


def gather() -> dict[str, str]:
    """The report header's facts, keyed by KEYS; the date is now, the rest is cached per process."""
    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine(),
        "python": python(),
        "java": java(),
        "gradle": gradle(),
    }


@functools.cache
def machine() -> str:
    system = " ".join(part for part in (platform.system(), platform.release()) if part)
    return f"{platform.node() or 'unknown host'} ({system}, {platform.machine() or 'unknown arch'})"


@functools.cache
def python() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


@functools.cache
def java() -> str:
    output = tool_output(["java", "-version"])
    if output.startswith("("):
        return output
    return java_summary(output)


@functools.cache
def gradle() -> str:
    output = tool_output(["gradle", "--version"])
    if output.startswith("("):
        return output
    return gradle_summary(output)


def java_summary(output: str) -> str:
    """`openjdk version "17.0.15" 2025-04-15` plus the runtime's build → `openjdk 17.0.15 (build …)`."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not lines:
        return "(no output from `java -version`)"
    version = re.match(r'(\S+) version "([^"]+)"', lines[0])
    summary = f"{version[1]} {version[2]}" if version else lines[0]
    build = re.search(r"\(build ([^)]+)\)", lines[1]) if len(lines) > 1 else None
    return f"{summary} (build {build[1]})" if build else summary


def gradle_summary(output: str) -> str:
    """The `Gradle 8.5` line of `gradle --version`, whose banner has dashes and blank lines around it."""
    for line in output.splitlines():
        if line.strip().startswith("Gradle "):
            return line.strip()
    lines = [line.strip() for line in output.splitlines() if line.strip(" -")]
    return lines[0] if lines else "(no output from `gradle --version`)"


def tool_output(command: list[str]) -> str:
    """stdout and stderr of `command` (java prints its version on stderr), or "(why not)"."""
    if shutil.which(command[0]) is None:
        return f"({command[0]} not found on PATH)"
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, errors="replace",
            timeout=VERSION_TIMEOUT, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return f"(`{' '.join(command)}` timed out after {VERSION_TIMEOUT:.0f} s)"
    except OSError as error:
        return f"(`{' '.join(command)}` could not run: {error})"
    output = completed.stdout + completed.stderr
    if completed.returncode != 0:
        first = output.strip().splitlines()[:1]
        return f"(`{' '.join(command)}` exited with status {completed.returncode}: {''.join(first)})"
    return output
