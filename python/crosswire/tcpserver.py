"""The shell every Python TCP server shares: bind, accept, a thread per connection.

Like `socketserver`, a service is a subclass that overrides `handle()`. The
constructor binds and listens, so `server_address` is known before serving.
Connections are capped (over the cap `refuse()` answers and closes), each
has an idle timeout, and `close()` ends every connection and joins its thread.
With `threaded = False` connections are served one at a time, in the accept
loop, as the lecture's iterative echo server does.
"""

from __future__ import annotations

import socket
import sys
import threading
from typing import TextIO

from crosswire.peerutil import POLL_INTERVAL, Output, Stop
from crosswire.protocol import benchwire

BACKLOG = 1024  # the default (Java's 50, Python's 128) drops a classroom's burst of connects
JOIN_TIMEOUT = 5.0


class TcpServer:
    threaded = True

    def __init__(self, host: str, port: int, output: Output, idle_timeout: float, max_connections: int,
                 errors: TextIO | None = None) -> None:
        self.output = output
        self.errors = errors if errors is not None else sys.stderr  # where errors go by hand
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.listener = socket.create_server((host, port), backlog=BACKLOG)
        self.listener.settimeout(POLL_INTERVAL)
        self.server_address: tuple[str, int] = self.listener.getsockname()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread | None] = {}

    def handle(self, conn: socket.socket, peer: str) -> None:
        raise NotImplementedError

    def refuse(self, conn: socket.socket, peer: str) -> None:
        """Answer a connection over the cap before it is closed (nothing, by default)."""

    def serve(self, stop: Stop) -> None:
        while not stop.is_set():
            if not stop.wait_readable(self.listener):
                continue
            try:
                conn, address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError as error:
                if stop.is_set():
                    return
                self.report_error(None, f"accept failed: {error}")
                continue
            peer = benchwire.address_text(address)
            conn.settimeout(self.idle_timeout)
            with self._lock:
                full = len(self._connections) >= self.max_connections
                if not full:
                    thread = threading.Thread(target=self._run, args=(conn, peer), daemon=True)
                    self._connections[conn] = thread if self.threaded else None
            if full:
                self.report_error(peer, f"refused: {self.max_connections} connections are open (--max-connections)")
                try:
                    self.refuse(conn, peer)
                except OSError:
                    pass
                conn.close()
            elif self.threaded:
                thread.start()
            else:
                self._run(conn, peer)

    def _run(self, conn: socket.socket, peer: str) -> None:
        try:
            self.handle(conn, peer)
        except TimeoutError:
            self.report_error(peer, f"no data for {self.idle_timeout:g} s: connection closed")
        except ConnectionResetError:
            self.report_error(peer, "connection reset by the client")
        except OSError as error:
            self.report_error(peer, f"connection failed: {error}")
        finally:
            conn.close()
            with self._lock:
                self._connections.pop(conn, None)

    def report_error(self, peer: str | None, detail: str) -> None:
        fields = {"peer": peer} if peer else {}
        self.output.event("error", detail=detail, **fields)
        if not self.output.json_mode:
            print(f"{peer or 'server'}: {detail}", file=self.errors, flush=True)

    @property
    def connection_count(self) -> int:
        with self._lock:
            return len(self._connections)

    def close(self) -> None:
        self.listener.close()
        with self._lock:
            connections = dict(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in connections.values():
            if thread is not None:
                thread.join(JOIN_TIMEOUT)
