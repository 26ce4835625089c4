"""Message board server: boards and posts over TCP, each post multicast to its board's group.

A thread per connection reads requests (crosswire.protocol.board) and answers
each from `BoardService`; a heartbeat thread multicasts every board's last
sequence number every --heartbeat seconds. Posts are stored in sqlite3
(--store) before they are acknowledged; a restarted server goes on numbering.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
import threading
from typing import TextIO

from crosswire.board.service import AddressPlan, BoardService
from crosswire.board.store import BoardStore
from crosswire.multicast.sockets import configure_sending
from crosswire.peerutil import ArgumentParser, Console, Output, Stop, main_of, run_server
from crosswire.protocol.board import END_OF_STREAM, NEED_DATA, ErrorReply, encode, request_decoder
from crosswire.protocol.board_errors import ErrorCode, FramingError, MalformedBody
from crosswire.protocol.multicast import ANY_INTERFACE, check_group
from crosswire.tcpserver import JOIN_TIMEOUT, TcpServer

EXAMPLE = "board"
DEFAULT_PORT = 7500
DEFAULT_GROUP_BASE = "239.192.0.1"
DEFAULT_BOARD_PORT_BASE = 7600
RECV_SIZE = 65_536


class BoardServer(TcpServer):
    def __init__(self, host: str, port: int, output: Output, service: BoardService, heartbeat: float,
                 idle_timeout: float, max_connections: int, errors: TextIO | None = None) -> None:
        super().__init__(host, port, output, idle_timeout, max_connections, errors)
        self.service = service
        self.heartbeat = heartbeat
        self._beating = threading.Event()
        self._heartbeat_thread = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def handle(self, conn: socket.socket, peer: str) -> None:
        decoder = request_decoder()
        while True:
            try:
                request = decoder.next_message()
            except FramingError as error:
                self.report_error(peer, f"{error}: connection closed")
                return
            except MalformedBody as error:
                self.report_error(peer, f"{ErrorCode.BAD_REQUEST} {error.detail}")
                conn.sendall(encode(ErrorReply(error.request_id, ErrorCode.BAD_REQUEST, error.detail)))
                continue
            if request is END_OF_STREAM:
                return
            if request is NEED_DATA:
                decoder.receive_data(conn.recv(RECV_SIZE))
                continue
            try:
                reply = self.service.handle(request, peer)
            except sqlite3.Error as error:
                # Nothing was acknowledged; the client sees the connection close and may try again.
                self.report_error(peer, f"the store failed: {error}: connection closed")
                return
            conn.sendall(encode(reply))

    def _beat(self) -> None:
        while not self._beating.wait(self.heartbeat):
            self.service.send_heartbeats()

    def serve(self, stop: Stop) -> None:
        self._heartbeat_thread.start()
        super().serve(stop)

    def close(self) -> None:
        self._beating.set()
        if self._heartbeat_thread.is_alive():
            self._heartbeat_thread.join(JOIN_TIMEOUT)
        super().close()


def run(argv: list[str], console: Console) -> int:
    parser = ArgumentParser(console, description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--store", default="board.sqlite3", help="the sqlite3 file of boards and messages")
    parser.add_argument("--group-base", default=DEFAULT_GROUP_BASE, help="board n gets this group + n")
    parser.add_argument("--board-port-base", type=int, default=DEFAULT_BOARD_PORT_BASE,
                        help="board n gets this port + n")
    parser.add_argument("--iface", default=ANY_INTERFACE, help="IPv4 address of the interface to multicast from")
    parser.add_argument("--ttl", type=int, default=1)
    parser.add_argument("--heartbeat", type=float, default=1.0, help="seconds between heartbeats")
    parser.add_argument("--idle-timeout", type=float, default=300.0)
    parser.add_argument("--max-connections", type=int, default=200)
    parser.add_argument("--json", action="store_true", help="bench mode: JSON events")
    args = parser.parse_args(argv)
    try:
        check_group(args.group_base)
        socket.inet_aton(args.iface)
    except (ValueError, OSError) as error:
        parser.error(f"{error}")
    if args.heartbeat <= 0 or not 0 <= args.ttl <= 255:
        parser.error("--heartbeat must be positive and --ttl 0 to 255")

    output = Output(args.json, console.stdout)
    try:
        store = BoardStore(args.store)
    except sqlite3.Error as error:
        console.error(f"board server: cannot open the store {args.store}: {error}")
        return 1
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        configure_sending(sender, args.ttl, args.iface)
        service = BoardService(store, AddressPlan(args.group_base, args.board_port_base), sender.sendto, output)
        return run_server(
            EXAMPLE, output,
            lambda: BoardServer(args.host, args.port, output, service, args.heartbeat,
                                args.idle_timeout, args.max_connections, console.stderr),
            args.host, args.port, console,
        )
    finally:
        sender.close()
        store.close()


main = main_of(run)


if __name__ == "__main__":
    sys.exit(main())
