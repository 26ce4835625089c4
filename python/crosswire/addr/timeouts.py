"""A client that gives up: it asks a server that never answers, and stops waiting after --timeout.

    python -m crosswire.addr.timeouts tcp|udp --port P [--host H] [--timeout S] [--default-timeout] [--json]

TCP: connect, send one line, wait for a reply. UDP: send one datagram, wait
for a reply. The lecture's two ways to bound the wait are both here:
`s.settimeout(seconds)` on the one socket (the default) and, with
`--default-timeout`, `socket.setdefaulttimeout(seconds)` before the socket is
made, which every new socket then inherits. Twin of `crosswire.addr.Timeouts`
(Java, `setSoTimeout`).

The client measures the wait itself (monotonic clock, from just before the
blocking call to the exception) and reports it, so a test can check the
bound as OpenJDK's tests do: not before the timeout, and not long after.
Exit status: 0 when a reply came after all, 1 when the client gave up (or the
server closed or refused), 2 on a usage error.
"""

from __future__ import annotations

import socket
import sys
import time
from typing import Any

from crosswire.peerutil import ArgumentParser, Console, Output, main_of

REQUEST = b"is anybody there?\n"
RECEIVE_BUFFER = 65_535


def settimeout_socket(kind: int, seconds: float, use_default: bool) -> tuple[socket.socket, str]:
    """A socket whose blocking calls give up after `seconds`, and which call made it so."""
    if use_default:
        # Process-wide: every socket made from now on. Set back once this one is made, so that
        # in-process it does not reach the harness's sockets (a process ends with this one anyway).
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(seconds)
        try:
            return socket.socket(socket.AF_INET, kind), "socket.setdefaulttimeout"
        finally:
            socket.setdefaulttimeout(previous)
    sock = socket.socket(socket.AF_INET, kind)
    sock.settimeout(seconds)
    return sock, "settimeout"


def wait_for_reply(transport: str, host: str, port: int, seconds: float, use_default: bool) -> dict[str, Any]:
    """One exchange with the server; the outcome as an event (`timeout`, `reply`, `closed` or `error`)."""
    kind = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
    sock, via = settimeout_socket(kind, seconds, use_default)
    facts: dict[str, Any] = {"transport": transport, "peer": f"{host}:{port}", "timeout_s": seconds, "via": via}
    with sock:
        phase = "connect"
        started = time.monotonic()
        try:
            if transport == "tcp":
                sock.connect((host, port))
                sock.sendall(REQUEST)
            else:
                sock.sendto(REQUEST, (host, port))
            phase = "read"
            started = time.monotonic()
            data = sock.recv(RECEIVE_BUFFER)
        except TimeoutError:
            return {"event": "timeout", **facts, "phase": phase, "elapsed_s": elapsed(started)}
        except OSError as error:
            return {"event": "error", **facts, "phase": phase, "detail": str(error)}
    if not data and transport == "tcp":
        return {"event": "closed", **facts, "elapsed_s": elapsed(started)}
    return {"event": "reply", **facts, "len": len(data), "hex": data.hex(), "elapsed_s": elapsed(started)}


def elapsed(started: float) -> float:
    return round(time.monotonic() - started, 6)


def describe(outcome: dict[str, Any]) -> str:
    """The readable line, the same in the Java twin."""
    head = f"{outcome['transport']} {outcome['peer']}"
    limit = f"{outcome['timeout_s']} s ({outcome['via']})"
    kind = outcome["event"]
    if kind == "timeout":
        return (
            f"{head}: no {'connection' if outcome['phase'] == 'connect' else 'reply'} within {limit}:"
            f" gave up after {outcome['elapsed_s']:.3f} s"
        )
    if kind == "error":
        return f"{head}: {outcome['phase']} failed: {outcome['detail']}"
    if kind == "closed":
        return f"{head}: the server closed the connection after {outcome['elapsed_s']:.3f} s, without a reply"
    return f"{head}: a reply of {outcome['len']} bytes after {outcome['elapsed_s']:.3f} s (timeout {limit})"


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, prog="python -m crosswire.addr.timeouts", description=__doc__.splitlines()[0])
    parser.add_argument("transport", choices=["tcp", "udp"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for the reply")
    parser.add_argument("--default-timeout", action="store_true", help="use socket.setdefaulttimeout")
    parser.add_argument("--json", action="store_true", help="print the outcome as a JSON event")
    args = parser.parse_args(argv)
    if not 0 < args.timeout <= 86_400:
        parser.error("--timeout must be above 0 and at most 86400 seconds")
    if not 0 < args.port <= 65_535:
        parser.error("--port must name the server's port (1 to 65535)")

    outcome = wait_for_reply(args.transport, args.host, args.port, args.timeout, args.default_timeout)
    output = Output(args.json, console.stdout)
    output.event(outcome["event"], **{key: value for key, value in outcome.items() if key != "event"})
    output.say(describe(outcome))
    return 0 if outcome["event"] == "reply" else 1


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
