"""The lecture's "port test with telnet": a hand-typed HTTP/1.1 request over a raw TCP socket.

    python -m crosswire.addr.porttest HOST PORT [PATH] [--timeout S] [--json]

It sends exactly what the lecture types into telnet (plus `Connection: close`,
so the server ends the response by closing instead of waiting for the next
request), reads until the server closes, and prints the response as it came.
Twin of `crosswire.addr.PortTest` (Java).
Exit status: 0 when a response with an HTTP status line came back, 1
otherwise (refused, timed out, not HTTP), 2 on a usage error.
"""

from __future__ import annotations

import socket
import sys
import time
from typing import TextIO

from crosswire.peerutil import ArgumentParser, Console, Output, main_of

RECEIVE_BUFFER = 65_535


def host_header(host: str, port: int) -> str:
    """The Host header's value: the port only when it is not HTTP's 80, IPv6 in brackets."""
    name = f"[{host}]" if ":" in host else host
    return name if port == 80 else f"{name}:{port}"


def request_bytes(host: str, port: int, path: str) -> bytes:
    """The request, line by line as a person would type it; CRLF ends every line (RFC 9112)."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {host_header(host, port)}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("ascii")


def status_line(response: bytes) -> str:
    return response.split(b"\r\n", 1)[0].decode("latin-1")


def fetch(host: str, port: int, request: bytes, seconds: float) -> bytes:
    """Everything the server sends until it closes; TimeoutError if that takes over `seconds`."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    with socket.create_connection((host, port), timeout=seconds) as sock:
        sock.sendall(request)
        while (remaining := deadline - time.monotonic()) > 0:
            sock.settimeout(remaining)
            chunk = sock.recv(RECEIVE_BUFFER)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    raise TimeoutError(f"the server did not close the connection within {seconds} s")


def write_raw(stream: TextIO, data: bytes) -> None:
    """`data` as it came: bytes to the stream's buffer if it has one (a process's stdout), else decoded."""
    stream.flush()  # the lines printed before it come first
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(data)
    else:
        stream.write(data.decode("utf-8", "replace"))
    stream.flush()


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, prog="python -m crosswire.addr.porttest", description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds for the whole response")
    parser.add_argument("--json", action="store_true", help="print JSON events instead of the response")
    args = parser.parse_args(argv)
    if not 0 < args.port <= 65_535 or not 0 < args.timeout <= 86_400:
        parser.error("the port must be 1 to 65535 and --timeout above 0 (at most 86400 s)")
    try:
        request = request_bytes(args.host, args.port, args.path)
    except UnicodeEncodeError:
        parser.error("the path and host must be ASCII (percent-encode anything else)")

    output = Output(args.json, console.stdout)
    output.event("request", len=len(request), hex=request.hex())
    for line in request.decode("ascii").split("\r\n")[:-1]:
        output.say(f"> {line}")
    try:
        response = fetch(args.host, args.port, request, args.timeout)
    except OSError as error:  # TimeoutError included
        output.event("error", detail=str(error))
        console.error(f"porttest: {args.host}:{args.port}: {error}")
        return 1
    status = status_line(response)
    output.event("response", len=len(response), status=status, hex=response.hex())
    if not output.json_mode:
        write_raw(console.stdout, response)
    return 0 if status.startswith("HTTP/") else 1


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
