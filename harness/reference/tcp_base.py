"""The accept loop the TCP reference servers share; each overrides `serve_connection`."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

from crosswire.protocol import benchwire
from harness.runs import Address, Event, ServerRun
from harness.timeouts import STOP_GRACE

POLL_INTERVAL = 0.1
RECV_SIZE = 65_536


class ReferenceTcpServer:
    command = None

    def __init__(self, host: str, log_dir: Path) -> None:
        self.log_path = log_dir / "server.out"
        self.events: list[Event] = []
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(POLL_INTERVAL)
        self.address: Address = self.listener.getsockname()
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._start(self._accept_loop)

    def serve_connection(self, conn: socket.socket, peer: str) -> None:
        raise NotImplementedError

    def receive(self, conn: socket.socket) -> bytes | None:
        """The next bytes from `conn`; b"" at its end; None when the server is stopping."""
        while not self.stopping.is_set():
            try:
                return conn.recv(RECV_SIZE)
            except TimeoutError:
                continue
        return None

    def record(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._start(self._serve, conn, benchwire.address_text(address))

    def _serve(self, conn: socket.socket, peer: str) -> None:
        with self._lock:
            self._connections.add(conn)
        with conn:
            conn.settimeout(POLL_INTERVAL)
            try:
                self.serve_connection(conn, peer)
            except OSError as error:
                if not self.stopping.is_set():
                    self.record({"event": "error", "peer": peer, "detail": str(error)})
        with self._lock:
            self._connections.discard(conn)

    def stop(self) -> ServerRun:
        self.stopping.set()
        with self._lock:
            threads, connections = list(self._threads), list(self._connections)
        # Shutting a socket down wakes a thread blocked on it at once (closing it would not).
        for sock in [self.listener, *connections]:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.listener.close()
        for thread in threads:
            thread.join(STOP_GRACE)
        alive = any(thread.is_alive() for thread in threads)
        self.log_path.write_text("".join(json.dumps(e) + "\n" for e in self.events))
        return ServerRun(list(self.events), None if alive else 0, None,
                         ["reference server threads did not stop"] if alive else [])
