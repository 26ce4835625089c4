"""What a Java peer's start costs here: a trivial main, class data sharing, and the warm in-process JVM.

Run with `.venv/bin/python benchmarks/jvm_start.py [--rounds N]`. Each way of
starting is timed ROUNDS times, interleaved, from exec (or call) to the end of
a trivial main or to a server's readiness line; medians are printed with each
one's ratio to the plain JVM start of the same program.

- `java Trivial`: the floor, a main that returns at once (default CDS on).
- `-Xshare:off`: the same without the JDK's class data sharing archive.
- `UDPServer`: a crosswire server to READY, plain; with an application CDS
  archive of its own classes (`-XX:ArchiveClassesAtExit`, made first by one
  training run); and with that plus `-XX:TieredStopAtLevel=1` (C1 only).
- in-process: the same server started by `crosswire.bench.InProcess` in this
  process's warm JVM, to its READY line.
- Python: `python -c pass`, and the Python UDP echo server to READY.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import build, jvm, manifest, sandbox
from harness.drivers import InprocDriver, java_executable, peer_environment
from harness.process import PeerProcess
from harness.timeouts import READY_TIMEOUT

READY = re.compile(r"READY udp-echo")
TRIVIAL = "public class Trivial { public static void main(String[] args) { } }\n"


def until_exit(command: list[str]) -> Callable[[], float]:
    def once() -> float:
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started
    return once


def until_ready(command: list[str], scratch: Path) -> Callable[[], float]:
    def once() -> float:
        started = time.perf_counter()
        process = PeerProcess(command, scratch, "server", env=peer_environment())
        process.wait_for_line(READY, READY_TIMEOUT)
        seconds = time.perf_counter() - started
        process.stop()
        return seconds
    return once


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    sandbox.enter([sys.executable, *sys.argv])
    jar = str(build.ensure_jar())
    java = java_executable()
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        (scratch / "Trivial.java").write_text(TRIVIAL)
        subprocess.run(["javac", "-d", scratch_dir, str(scratch / "Trivial.java")], check=True)
        server = ["crosswire.udpecho.UDPServer", "--port", "0", "--json"]
        archive = scratch / "udpserver.jsa"
        until_ready([java, f"-XX:ArchiveClassesAtExit={archive}", "-cp", jar, *server], scratch)()
        cds = [f"-XX:SharedArchiveFile={archive}"]
        peer = next(p for p in manifest.load().peers if (p.example, p.role, p.name) == ("udp-echo", "server", "java"))
        python_peer = next(p for p in manifest.load().peers
                           if (p.example, p.role, p.name) == ("udp-echo", "server", "python"))
        jvm.start()
        driver = InprocDriver()

        def inproc(chosen: manifest.Peer) -> Callable[[], float]:
            def once() -> float:
                started = time.perf_counter()
                running = driver.launch(chosen, scratch, "inproc", {"host": "127.0.0.1", "port": "0"})
                running.wait_for_line(READY, READY_TIMEOUT)
                seconds = time.perf_counter() - started
                running.stop()
                return seconds
            return once

        ways: dict[str, Callable[[], float]] = {
            "java Trivial": until_exit([java, "-cp", scratch_dir, "Trivial"]),
            "java -Xshare:off Trivial": until_exit([java, "-Xshare:off", "-cp", scratch_dir, "Trivial"]),
            "UDPServer to READY": until_ready([java, "-cp", jar, *server], scratch),
            "UDPServer, app CDS": until_ready([java, *cds, "-cp", jar, *server], scratch),
            "UDPServer, app CDS + C1 only": until_ready(
                [java, *cds, "-XX:TieredStopAtLevel=1", "-cp", jar, *server], scratch),
            "UDPServer in-process (warm JVM)": inproc(peer),
            "python -c pass": until_exit([sys.executable, "-c", "pass"]),
            "Python server to READY": until_ready(
                [sys.executable, "-m", "crosswire.udpecho.server", "--port", "0", "--json"], scratch),
            "Python server in-process": inproc(python_peer),
        }
        seconds: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.rounds):
            for name, once in ways.items():
                seconds[name].append(once())
    medians = {name: statistics.median(values) * 1000 for name, values in seconds.items()}
    print(f"median of {args.rounds}, interleaved (ms), and ratio to the plain start of the same program:")
    for name, median in medians.items():
        base = (medians["java Trivial"] if "Trivial" in name else medians["UDPServer to READY"]
                if "UDPServer" in name else medians["Python server to READY"] if "server" in name.lower()
                else median)
        print(f"  {name:34} {median:8.2f}  {median / base:6.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
