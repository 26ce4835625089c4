"""What the board server does with each request: the rules of docs/protocols/board.md over a store.

No sockets here: the server hands every decoded request to `BoardService.handle`
and sends the reply it returns; datagrams leave through the `send` function
it was given. One lock serializes the store and the multicast, so a board's
MSGs and HEARTBEATs leave in sequence order and a HEARTBEAT never announces
a message before its MSG.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from crosswire.board.store import BoardStore, StoredBoard
from crosswire.peerutil import Output
from crosswire.protocol.board import (
    MAX_FETCH,
    Board,
    BoardEntry,
    Boards,
    Create,
    Created,
    ErrorReply,
    Fetch,
    Heartbeat,
    ListBoards,
    Lookup,
    Messages,
    Msg,
    Post,
    Posted,
    Reply,
    Request,
    check_text,
    check_topic,
    encode,
    messages_that_fit,
)
from crosswire.protocol.board_errors import BoardError, ErrorCode
from crosswire.protocol.multicast import CLASS_D

SendDatagram = Callable[[bytes, tuple[str, int]], object]


@dataclass(frozen=True)
class AddressPlan:
    """Board n gets group `group_base` + n and port `port_base` + n."""

    group_base: str
    port_base: int

    def address(self, number: int) -> tuple[str, int]:
        try:
            group: ipaddress.IPv4Address | None = ipaddress.IPv4Address(self.group_base) + number
        except ipaddress.AddressValueError:
            group = None
        port = self.port_base + number
        if group is None or group not in CLASS_D or not 0 < port <= 0xFFFF:
            raise BoardError(
                ErrorCode.BAD_REQUEST,
                f"no group and port left for board {number} from {self.group_base} and {self.port_base}",
            )
        return str(group), port


class BoardService:
    def __init__(
        self, store: BoardStore, plan: AddressPlan, send: SendDatagram, output: Output,
        clock_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self._store = store
        self._plan = plan
        self._send = send
        self._output = output
        self._clock_ms = clock_ms
        self._lock = threading.Lock()
        self._boards = {board.topic: board for board in store.boards()}

    def handle(self, request: Request, peer: str) -> Reply:
        """The reply to `request`; a refused request gets an ERROR reply and an `error` event."""
        try:
            with self._lock:
                return self._answer(request, peer)
        except BoardError as error:
            self._output.event("error", peer=peer, detail=str(error))
            self._output.say(f"{peer}: refused: {error}")
            return ErrorReply(request.request_id, error.code, error.detail)

    def _answer(self, request: Request, peer: str) -> Reply:
        match request:
            case Create(request_id, topic):
                board = self._create(check_topic(topic))
                return Created(request_id, topic, board.group, board.port, board.token)
            case ListBoards(request_id):
                boards = self._boards.values()
                return Boards(request_id, tuple(BoardEntry(b.topic, b.group, b.port, b.last_seq) for b in boards))
            case Post(request_id, topic, token, text):
                board = self._board(topic)
                if not hmac.compare_digest(token.encode("utf-8", "surrogatepass"), board.token.encode()):
                    raise BoardError(ErrorCode.BAD_TOKEN, f"that is not the token of board {topic}" if token
                                     else f"posting to board {topic} needs its token")
                return Posted(request_id, topic, self._post(board, check_text(text)))
            case Lookup(request_id, topic):
                board = self._board(topic)
                return Board(request_id, topic, board.group, board.port, board.last_seq)
            case Fetch(request_id, topic, from_seq, to_seq):
                board = self._board(topic)
                if from_seq < 1 or to_seq < 0 or (to_seq != 0 and to_seq < from_seq):
                    raise BoardError(ErrorCode.BAD_RANGE, f"cannot fetch {from_seq}..{to_seq}: need 1 <= from <= to, "
                                     "or to = 0 for up to the latest")
                last = board.last_seq if to_seq == 0 else min(to_seq, board.last_seq)
                entries = self._store.messages(topic, from_seq, last, MAX_FETCH)
                return Messages(request_id, topic, messages_that_fit(request_id, topic, entries))
        raise AssertionError(f"unhandled request {request!r}")

    def _board(self, topic: str) -> StoredBoard:
        board = self._boards.get(check_topic(topic))
        if board is None:
            raise BoardError(ErrorCode.NO_SUCH_BOARD, f"there is no board {topic}")
        return board

    def _create(self, topic: str) -> StoredBoard:
        if topic in self._boards:
            raise BoardError(ErrorCode.TOPIC_EXISTS, f"board {topic} exists already")
        number = max((b.number for b in self._boards.values()), default=-1) + 1
        group, port = self._plan.address(number)
        board = StoredBoard(number, topic, group, port, secrets.token_hex(16), 0)
        self._store.add_board(board)
        self._boards[topic] = board
        self._output.event("created", topic=topic, group=group, port=port)
        self._output.say(f"created board {topic}: group {group} port {port}")
        return board

    def _post(self, board: StoredBoard, text: str) -> int:
        seq = board.last_seq + 1
        time_ms = self._clock_ms()
        self._store.append(board.topic, seq, time_ms, text)  # durable before anyone hears of it
        board.last_seq = seq
        self._output.event("posted", topic=board.topic, seq=seq)
        self._output.say(f"[{board.topic} #{seq}] {text}")
        self._multicast(board, encode(Msg(board.topic, seq, time_ms, text)))
        return seq

    def send_heartbeats(self) -> None:
        """One HEARTBEAT per board, with its last sequence number."""
        with self._lock:
            for board in self._boards.values():
                self._multicast(board, encode(Heartbeat(board.topic, board.last_seq)))

    def _multicast(self, board: StoredBoard, datagram: bytes) -> None:
        try:
            self._send(datagram, (board.group, board.port))
        except OSError as error:
            # The post is stored: subscribers learn of it from the next heartbeat and fetch it.
            self._output.event("error", detail=f"multicast to {board.group}:{board.port} failed: {error}")
