"""What running a peer leaves behind: its events, exit status and command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Address = tuple[str, int]
Event = dict[str, Any]


@dataclass
class ServerRun:
    """What a server left behind once stopped."""

    events: list[Event]
    exit_status: int | None
    command: list[str] | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class ClientRun:
    """What a client printed and how it ended."""

    events: list[Event]
    exit_status: int | None
    seconds: float
    command: list[str] | None = None
    problems: list[str] = field(default_factory=list)


