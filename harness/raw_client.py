"""Drive a client that speaks no bench protocol: bytes in on stdin, the echo out on stdout.

This is how third-party programs such as `socat - TCP:host:port` join the
matrix as clients. The harness writes one message, reads back as many bytes
as it wrote (the echo), times it, and only then writes the next, so even
over UDP each write becomes one datagram. It writes the same events a bench
client prints, so the examples' checks need not know.
"""

from __future__ import annotations

import os
import select
import subprocess
import time
from pathlib import Path

from harness.runs import ClientRun, Event
from harness.timeouts import REPLY_TIMEOUT, STOP_GRACE


def read_exactly(fd: int, count: int, deadline: float) -> bytes | None:
    """`count` bytes from `fd` before `deadline`, or None (timeout or end of output)."""
    data = b""
    while len(data) < count:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(fd, count - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def run(command: list[str], messages: list[bytes], log_dir: Path, env: dict[str, str]) -> ClientRun:
    events: list[Event] = []
    started = time.monotonic()
    with (log_dir / "client.err").open("wb") as errors, (log_dir / "client.out").open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, start_new_session=True, env=env
        )
        assert process.stdin is not None and process.stdout is not None
        try:
            for seq, message in enumerate(messages):
                sent_at = time.monotonic()
                process.stdin.write(message)
                process.stdin.flush()
                reply = read_exactly(process.stdout.fileno(), len(message), sent_at + REPLY_TIMEOUT)
                if reply is None:
                    events.append({"event": "timeout", "seq": seq, "attempts": 1})
                    continue
                log.write(reply)
                rtt_ms = (time.monotonic() - sent_at) * 1000
                events.append({"event": "reply", "seq": seq, "len": len(reply), "hex": reply.hex(),
                               "rtt_ms": rtt_ms, "attempts": 1})
            process.stdin.close()
            status: int | None = process.wait(STOP_GRACE)
        except (OSError, subprocess.TimeoutExpired):
            status = None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(STOP_GRACE)
    # The raw client cannot fail by its exit status; the harness judged each message.
    failed = any(e["event"] != "reply" for e in events)
    return ClientRun(events, 1 if failed else 0, time.monotonic() - started, command,
                     [] if status is not None else ["raw client did not exit after its input ended"])
