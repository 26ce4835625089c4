"""The board server's durable store: one sqlite3 file of boards and messages.

WAL with synchronous=FULL: a post is committed (and its WAL synced) before
the server acknowledges it, so an acknowledged post survives a kill -9, and a
power cut too. Texts are kept as their modified UTF-8 bytes, which hold any
Java string (sqlite's TEXT could not hold a lone surrogate).

Not thread-safe by itself: the server's `BoardService` serializes every call
under its lock, so one connection serves every thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crosswire.protocol import mutf8
from crosswire.protocol.board import MessageEntry

SCHEMA = """
CREATE TABLE IF NOT EXISTS boards (
    number   INTEGER PRIMARY KEY,   -- creation order: 0, 1, ...
    topic    TEXT NOT NULL UNIQUE,
    grp      TEXT NOT NULL,
    port     INTEGER NOT NULL,
    token    TEXT NOT NULL,
    last_seq INTEGER NOT NULL       -- the next post gets last_seq + 1
);
CREATE TABLE IF NOT EXISTS messages (
    topic   TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    text    BLOB NOT NULL,          -- modified UTF-8
    PRIMARY KEY (topic, seq)
) WITHOUT ROWID;
"""


@dataclass
class StoredBoard:
    number: int
    topic: str
    group: str
    port: int
    token: str
    last_seq: int


class BoardStore:
    def __init__(self, path: Path | str) -> None:
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error:
            self._db.close()
            raise

    def boards(self) -> list[StoredBoard]:
        rows = self._db.execute("SELECT number, topic, grp, port, token, last_seq FROM boards ORDER BY number")
        return [StoredBoard(*row) for row in rows]

    def add_board(self, board: StoredBoard) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO boards (number, topic, grp, port, token, last_seq) VALUES (?, ?, ?, ?, ?, ?)",
                (board.number, board.topic, board.group, board.port, board.token, board.last_seq),
            )

    def append(self, topic: str, seq: int, time_ms: int, text: str) -> None:
        """Store message `seq` and make it the board's last, in one durable transaction."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO messages (topic, seq, time_ms, text) VALUES (?, ?, ?, ?)",
                (topic, seq, time_ms, mutf8.encode(text)),
            )
            self._db.execute("UPDATE boards SET last_seq = ? WHERE topic = ?", (seq, topic))

    def messages(self, topic: str, from_seq: int, to_seq: int, limit: int) -> list[MessageEntry]:
        rows = self._db.execute(
            "SELECT seq, time_ms, text FROM messages WHERE topic = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?",
            (topic, from_seq, to_seq, limit),
        )
        return [MessageEntry(seq, time_ms, mutf8.decode(bytes(text))) for seq, time_ms, text in rows]

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
