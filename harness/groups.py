"""A multicast group and port of its own for every test (a group has no port 0).

Groups come from 239.0.0.0/8, the administratively scoped block, and are
unique within this process (pid and a counter); the port is one the kernel
just handed out for a UDP socket. All of it lives inside the sandbox's
network namespace, so nothing here can collide with the host or another run.
"""

from __future__ import annotations

import itertools
import os
import socket
import threading

_counter = itertools.count(1)
_lock = threading.Lock()
SANDBOX_INTERFACE = "127.0.0.1"


def allocate_group(count: int = 1) -> tuple[str, int]:
    """A group and port for a test; with `count`, the first of `count` consecutive groups and ports."""
    with _lock:
        number = next(_counter)
        for _ in range(count - 1):
            next(_counter)
    pid = os.getpid()
    group = f"239.{pid % 250 + 1}.{(number >> 8) & 0xFF}.{number & 0xFF}"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((SANDBOX_INTERFACE, 0))
        port = probe.getsockname()[1]
    return group, port
