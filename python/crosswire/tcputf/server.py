"""writeUTF echo server: reads Java-framed strings and writes each one back.

The Python twin of TCPServer.java: a thread per connection (capped), frames
decoded incrementally by crosswire.protocol.writeutf, so strings arrive whole
however TCP splits or merges them. A bad frame, an idle or vanished client
ends that connection only; the server goes on serving.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading

from crosswire.peerutil import POLL_INTERVAL, Output, stop_on_signals
from crosswire.protocol import benchwire
from crosswire.protocol.errors import ProtocolError
from crosswire.protocol.writeutf import END_OF_STREAM, NEED_DATA, FrameDecoder, frame

EXAMPLE = "tcp-utf"
DEFAULT_PORT = 7896
DEFAULT_IDLE_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 1000
BACKLOG = 1024
RECV_SIZE = 65_536
JOIN_TIMEOUT = 5.0


class TcpUtfServer:
    """Binds and listens in the constructor, so `server_address` is known before serving."""

    def __init__(self, host: str, port: int, output: Output,
                 idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        self.output = output
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.listener = socket.create_server((host, port), backlog=BACKLOG)
        self.listener.settimeout(POLL_INTERVAL)
        self.server_address: tuple[str, int] = self.listener.getsockname()
        self._lock = threading.Lock()
        self._connections: dict[socket.socket, threading.Thread] = {}

    def serve(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                conn, address = self.listener.accept()
            except TimeoutError:
                continue
            peer = benchwire.address_text(address)
            with self._lock:
                full = len(self._connections) >= self.max_connections
                if not full:
                    thread = threading.Thread(target=self.handle, args=(conn, peer), daemon=True)
                    self._connections[conn] = thread
            if full:
                self.report_error(peer, f"refused: already {self.max_connections} connections")
                conn.close()
                continue
            thread.start()

    def handle(self, conn: socket.socket, peer: str) -> None:
        """Echo every frame on one connection until the client closes it."""
        self.output.say(f"Connection from {peer}")
        decoder = FrameDecoder()
        try:
            conn.settimeout(self.idle_timeout)
            while True:
                message = decoder.next_message()
                if message is END_OF_STREAM:
                    return
                if message is NEED_DATA:
                    decoder.receive_data(conn.recv(RECV_SIZE))
                    continue
                assert isinstance(message, str)
                units = benchwire.utf16_units(message)
                self.output.event("recv", peer=peer, len=len(units) // 2, hex=units.hex())
                self.output.say(f"Received from {peer}: {message!r}")
                conn.sendall(frame(message))
        except ProtocolError as error:  # MalformedInput, TruncatedFrame: the name says which
            self.report_error(peer, f"{type(error).__name__}: {error}")
        except TimeoutError:
            buffered = len(decoder.trailing_data[0])
            where = f"inside a frame ({buffered} bytes of it received)" if buffered else "between frames"
            self.report_error(peer, f"no data for {self.idle_timeout:g} s {where}: connection closed")
        except OSError as error:
            self.report_error(peer, f"connection failed: {error}")
        finally:
            conn.close()
            with self._lock:
                self._connections.pop(conn, None)

    def report_error(self, peer: str, detail: str) -> None:
        self.output.event("error", peer=peer, detail=detail)
        if not self.output.json_mode:
            print(f"{peer}: {detail}", file=sys.stderr, flush=True)

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
            thread.join(JOIN_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    parser.add_argument("--idle-timeout", type=float, default=DEFAULT_IDLE_TIMEOUT,
                        help="close a connection silent this many seconds")
    parser.add_argument("--max-connections", type=int, default=DEFAULT_MAX_CONNECTIONS)
    args = parser.parse_args(argv)

    output = Output(args.json)
    stop = threading.Event()
    stop_on_signals(stop)
    server = TcpUtfServer(args.host, args.port, output, args.idle_timeout, args.max_connections)
    try:
        host, port = server.server_address
        output.line(benchwire.ready_line(EXAMPLE, host, port))
        server.serve(stop)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
