"""The calculator GUI on a real (virtual) screen, driven like a person would, against real servers.

Xvfb gives the window a screen; xdotool types and clicks; `--trace` lets the
test read what the window shows; a screenshot is saved for people to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness import manifest
from harness.build import ROOT
from harness.drivers import ProcessDriver, ProcessServer, peer_environment
from harness.process import PeerProcess
from harness.timeouts import READY_TIMEOUT

pytestmark = pytest.mark.skipif(
    shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
    reason="needs Debian's xvfb and xdotool (./bootstrap installs them)",
)
SCREENSHOTS = ROOT / ".crosswire" / "screenshots"
LOADED = manifest.load()


@pytest.fixture
def display(tmp_path: Path) -> Iterator[str]:
    """A private X display; Xvfb tells which one it took (-displayfd), no guessing."""
    read_end, write_end = __import__("os").pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "800x700x24", "-nolisten", "tcp"],
                            pass_fds=[write_end], stderr=subprocess.DEVNULL, start_new_session=True)
    __import__("os").close(write_end)
    try:
        with open(read_end) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(READY_TIMEOUT)


class Window:
    def __init__(self, display: str, tmp_path: Path, port: int, transport: str) -> None:
        self.display = display
        env = {**peer_environment(), "DISPLAY": display}
        command = [sys.executable, "-m", "crosswire.calc.gui", "--port", str(port), "--transport", transport,
                   "--timeout", "1", "--trace"]
        self.process = PeerProcess(command, tmp_path, f"gui-{transport}", env=env)
        self.env = env
        self.state = self.wait_for(lambda state: state["status"] == "ready")
        self.window_id = self.xdotool("search", "--sync", "--name", "crosswire calculator").split()[0]

    def xdotool(self, *args: str) -> str:
        return subprocess.run(["xdotool", *args], env=self.env, capture_output=True, text=True, check=True,
                              timeout=READY_TIMEOUT).stdout

    def wait_for(self, accept: Callable[[dict[str, object]], bool], start: int = 0) -> dict[str, object]:
        """The first traced state, from trace line `start` on, that `accept` takes."""
        while True:
            match = self.process.wait_for_line(re.compile(r"^\{.*"), READY_TIMEOUT, start=start)
            start = self.process.stdout_lines.index(match.string, start) + 1
            state: dict[str, object] = json.loads(match.string)
            if accept(state):
                return state

    def type_and_send(self, text: str) -> dict[str, object]:
        seen = len(self.process.stdout_lines)
        self.xdotool("windowfocus", "--sync", self.window_id)  # no window manager: focus, not activate
        self.xdotool("type", "--delay", "20", text)
        self.xdotool("key", "Return")
        return self.wait_for(lambda state: not state["busy"] and len(state["history"]) > 0 and state["status"]
                             != "ready", seen)

    def screenshot(self, name: str) -> Path:
        from PIL import ImageGrab

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        ImageGrab.grab(xdisplay=self.display).save(path)
        return path

    def close(self) -> None:
        self.process.stop()


@pytest.fixture(params=["tcp", "udp"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ProcessServer]:
    peer = LOADED.peer(f"calc-{request.param}", "server", "python")
    started = ProcessDriver().start_server(peer, tmp_path)
    try:
        yield started
    finally:
        started.stop()


def test_the_window_shows_results_errors_and_history(display: str, server: ProcessServer, tmp_path: Path) -> None:
    transport = "udp" if "udp" in server.peer.example else "tcp"
    window = Window(display, tmp_path, server.address[1], transport)
    try:
        state = window.type_and_send("+ 4 5")
        assert state["result"] == "9"
        state = window.type_and_send("/ 1 0")
        assert state["result"] == "DIV_ZERO"
        history = state["history"]
        assert isinstance(history, list) and history[1] == "+ 4 5 = 9"
        shot = window.screenshot(f"calc-gui-{transport}.png")
        assert shot.stat().st_size > 1000
    finally:
        window.close()


def test_a_server_that_is_down_is_shown_without_freezing(display: str, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # a UDP port where nobody answers
        silent.bind(("127.0.0.1", 0))
        window = Window(display, tmp_path, silent.getsockname()[1], "udp")
        try:
            state = window.type_and_send("* 6 7")
            assert state["result"] == "TIMEOUT"
            assert "no reply" in str(state["status"])
        finally:
            window.close()
