"""Fault proxies: what a real network does to a TCP stream, on loopback.

Loopback delivers a small write as one segment, so a client that assumes one
`recv` returns one whole message passes there by luck. The fragmenting proxy
sits between client and server and re-segments both directions: some chunks
go out one byte per send, some are cut at random points, and some are held
back briefly so that the next chunk is sent together with them (several
frames in one send). Each connection's choices come from a seeded random
generator, so a failing cell replays exactly.
"""

from __future__ import annotations

import random
import select
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from functools import partial

Address = tuple[str, int]

RECV_SIZE = 65_536
# Gap between the pieces of one chunk: long enough that the receiver's read
# returns between them (otherwise the kernel hands it the pieces together and
# the fault is invisible), short enough to keep cells fast.
SEGMENT_GAP = 0.0005
# How long a held-back chunk waits for more data to coalesce with.
COALESCE_WINDOW = 0.003
POLL_INTERVAL = 0.1
BYTEWISE_HEAD = 24
JOIN_TIMEOUT = 5.0


def seed_for(name: str) -> int:
    """A stable seed from a cell id, so a cell's proxy behaves the same every run."""
    return zlib.crc32(name.encode())


def plan_segments(data: bytes, rng: random.Random) -> list[bytes]:
    """How one chunk is cut into sends; joining the pieces gives `data` back."""
    if len(data) <= 1:
        return [data]
    style = rng.choice(("bytewise", "random", "random", "whole"))
    if style == "bytewise":
        # One byte per send for the head (where length prefixes are), then the rest:
        # a whole chunk byte by byte would make large messages crawl.
        head = min(len(data), BYTEWISE_HEAD)
        return [data[i : i + 1] for i in range(head)] + ([data[head:]] if head < len(data) else [])
    if style == "whole":
        return [data]
    cuts = sorted(rng.sample(range(1, len(data)), k=min(len(data) - 1, rng.randint(1, 8))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)], strict=True)]


class FragmentingProxy:
    """A TCP relay on 127.0.0.1:0 that re-segments everything it forwards."""

    def __init__(self, upstream: Address, seed: int, host: str = "127.0.0.1") -> None:
        self.upstream = upstream
        self.seed = seed
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(POLL_INTERVAL)
        self.address: Address = self.listener.getsockname()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._connections = 0
        self._start(self._accept_loop, "proxy-accept")

    def _start(self, target: object, name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # listener closed
            try:
                server = socket.create_connection(self.upstream, timeout=JOIN_TIMEOUT)
            except OSError as error:
                self.errors.append(f"proxy could not reach the server: {error}")
                client.close()
                continue
            for sock in (client, server):
                sock.settimeout(None)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._sockets += [client, server]
                self._connections += 1
                number = self._connections
            pair_done = threading.Barrier(2, action=partial(self._close_pair, client, server))
            self._start(self._relay, f"proxy-{number}-up", client, server, number * 2, pair_done)
            self._start(self._relay, f"proxy-{number}-down", server, client, number * 2 + 1, pair_done)

    def _chunks(self, source: socket.socket, rng: random.Random) -> Iterator[bytes]:
        """What arrives from `source`, sometimes held back to coalesce with what follows."""
        while True:
            try:
                data = source.recv(RECV_SIZE)
            except OSError:
                return
            if not data:
                return
            while rng.random() < 0.3:
                ready, _, _ = select.select([source], [], [], COALESCE_WINDOW)
                if not ready:
                    break
                try:
                    more = source.recv(RECV_SIZE)
                except OSError:
                    more = b""
                if not more:
                    yield data
                    return
                data += more
            yield data

    def _relay(self, source: socket.socket, sink: socket.socket, stream: int,
               pair_done: threading.Barrier) -> None:
        rng = random.Random(self.seed * 1_000_003 + stream)
        try:
            for chunk in self._chunks(source, rng):
                pieces = plan_segments(chunk, rng)
                for index, piece in enumerate(pieces):
                    sink.sendall(piece)
                    if index + 1 < len(pieces):
                        time.sleep(SEGMENT_GAP)  # a fault, not a readiness wait
            sink.shutdown(socket.SHUT_WR)  # pass the half-close on
        except OSError:
            pass  # one side reset or went away: the other side sees it when the pair closes
        try:
            pair_done.wait(JOIN_TIMEOUT)
        except threading.BrokenBarrierError:
            self._close_pair(source, sink)

    @staticmethod
    def _close_pair(first: socket.socket, second: socket.socket) -> None:
        for sock in (first, second):
            try:
                sock.close()
            except OSError:
                pass

    def close(self) -> None:
        self._stop.set()
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept at once; closing would not
        except OSError:
            pass
        self.listener.close()
        with self._lock:
            sockets, threads = list(self._sockets), list(self._threads)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        for thread in threads:
            thread.join(JOIN_TIMEOUT)

    def __enter__(self) -> FragmentingProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
