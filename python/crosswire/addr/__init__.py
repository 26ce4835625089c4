"""The lecture's names, addresses, byte order, timeouts and telnet port test (twins of crosswire.addr.*.java).

- `python -m crosswire.addr lookup|reverse|parse|order ...`: what the socket
  library makes of names, address literals and integers (`tool`).
- `python -m crosswire.addr.timeouts tcp|udp --port P --timeout S`: a client
  that gives up on a silent server, and says after how long.
- `python -m crosswire.addr.porttest HOST PORT PATH`: the lecture's telnet
  test, a hand-typed HTTP/1.1 request over a raw TCP socket.
"""

# `python -m crosswire.addr` runs the tool; its in-process form is this package's `run`.
from crosswire.addr.tool import run

__all__ = ["run"]
