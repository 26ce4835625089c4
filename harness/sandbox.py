"""The network sandbox: the whole test session runs in private namespaces.

Rather than wrapping each peer, the harness re-executes its own process (the
pytest controller, or the `crosswire` CLI) under `unshare`, before it starts
any peer, worker or JVM. Everything it starts afterwards inherits:

- a private **network** namespace whose only interface is `lo`, brought up and
  given a route for 224.0.0.0/4, so traffic (multicast included) cannot leave
  the machine and parallel runs never see each other's ports;
- a private **PID** namespace (with `--kill-child`), so when the session ends,
  or is killed, the kernel kills every process it started: no orphans.

Root uses plain namespaces; anyone else gets them inside a user namespace
(`-r`). When neither can be made the session runs on the host's loopback and
`multicast_skip_reason()` says why multicast tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence

ENV_MODE = "CROSSWIRE_SANDBOX"  # "netns", "loopback", or "off" to refuse re-exec
ENV_REASON = "CROSSWIRE_SANDBOX_REASON"
NAMESPACE_FLAGS = ["--net", "--pid", "--fork", "--kill-child", "--mount-proc"]
PROBE_TIMEOUT = 10.0


def mode() -> str:
    """"netns" inside the sandbox, "loopback" outside it, "" before deciding."""
    return os.environ.get(ENV_MODE, "")


def unshare_command() -> list[str] | None:
    """The `unshare` prefix that works on this machine, or None."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    candidates = [[unshare, *NAMESPACE_FLAGS]]
    if os.geteuid() != 0:
        candidates = [[unshare, "--map-root-user", *NAMESPACE_FLAGS]]
    for prefix in candidates:
        try:
            probe = subprocess.run(
                [*prefix, "true"], capture_output=True, timeout=PROBE_TIMEOUT
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return prefix
    return None


def reexec_inside(argv: Sequence[str]) -> None:
    """Replace this process by `argv` inside the sandbox; return if that is not possible.

    Call it before starting any thread, process or JVM. It returns (without
    re-executing) when already inside, when disabled with CROSSWIRE_SANDBOX=off,
    or when no namespace can be made; in the last case it records why.
    """
    if mode():
        return
    prefix = unshare_command()
    if prefix is None:
        os.environ[ENV_MODE] = "loopback"
        os.environ[ENV_REASON] = (
            "no private network namespace could be made (`unshare --net` failed, "
            "also inside a user namespace); traffic stays on the host's loopback "
            "and multicast tests are skipped"
        )
        return
    if shutil.which("ip") is None:
        os.environ[ENV_MODE] = "loopback"
        os.environ[ENV_REASON] = "`ip` (Debian package iproute2) is missing, so the sandbox's lo cannot be set up"
        return
    os.environ[ENV_MODE] = "netns"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(prefix[0], [*prefix, "--", *argv])


def configure_loopback() -> None:
    """Inside the sandbox: lo up, able to carry multicast, and routing the groups."""
    commands = [
        ["ip", "link", "set", "lo", "up", "multicast", "on"],
        ["ip", "route", "replace", "224.0.0.0/4", "dev", "lo"],
    ]
    for command in commands:
        subprocess.run(command, check=True, capture_output=True, timeout=PROBE_TIMEOUT)


def multicast_skip_reason() -> str | None:
    """Why multicast must not run here, or None when the sandbox holds it."""
    if mode() == "netns":
        return None
    return os.environ.get(ENV_REASON) or (
        "not running inside crosswire's network namespace (CROSSWIRE_SANDBOX="
        f"{mode() or 'unset'}); multicast is only ever sent inside one"
    )


def describe() -> str:
    if mode() == "netns":
        return "private network and PID namespaces (loopback only)"
    return f"host loopback: {os.environ.get(ENV_REASON, 'sandbox disabled')}"


def enter(argv: Sequence[str]) -> None:
    """Re-exec into the sandbox if possible, then make sure lo is set up."""
    reexec_inside(argv)
    if mode() == "netns" and os.getpid() == 1:
        configure_loopback()
