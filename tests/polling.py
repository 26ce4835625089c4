"""Waiting for a state that nobody announces (a thread count, a process exit), with a bound.

Readiness is always a peer's own line; this is for the few facts that only
can be looked at again, such as how many threads a server has left.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
LOOK_AGAIN = 0.05


def eventually(probe: Callable[[], T], accept: Callable[[T], bool], timeout: float) -> T:
    """The first value of `probe()` that `accept` takes, or the last one seen after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if accept(value) or time.monotonic() > deadline:
            return value
        time.sleep(LOOK_AGAIN)  # nothing to wait on: the kernel does not announce thread exits
