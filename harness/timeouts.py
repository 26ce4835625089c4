"""Every wait in the bench is bounded by one of these named timeouts.

Set CROSSWIRE_TIMEOUT_SCALE (a float) to stretch them all on a slow machine;
CI doubles them, since a loaded runner is slower than a laptop.
"""

from __future__ import annotations

import os


def _scale() -> float:
    default = "2" if os.environ.get("CI") else "1"
    return float(os.environ.get("CROSSWIRE_TIMEOUT_SCALE", default))


SCALE = _scale()
READY_TIMEOUT = 20.0 * SCALE  # a server (a JVM, on a cold cache) to print READY
CLIENT_TIMEOUT = 60.0 * SCALE  # one client run over all of a cell's vectors
STOP_GRACE = 5.0 * SCALE  # from SIGTERM to SIGKILL
REPLY_TIMEOUT = 2.0 * SCALE  # one reply, on loopback
BUILD_TIMEOUT = 300.0 * SCALE  # one Gradle build
