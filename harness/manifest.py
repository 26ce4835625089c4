"""The peer manifest (harness/peers.toml), its vectors and expected failures, as typed data.

The matrix is generated here: for each example, every client × every server
× every variant whose required capabilities both peers declare. Cells carry
readable ids such as `udp-echo[java-client->python-server]`.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve().parent
MANIFEST = HARNESS / "peers.toml"
EXPECTED_FAILURES = HARNESS / "expected_failures.toml"
PLAIN = "plain"


class ManifestError(ValueError):
    """The manifest, a vector file or the expected failures are malformed."""


@dataclass(frozen=True)
class Peer:
    name: str
    example: str
    role: str  # "server" or "client"
    language: str
    source: str
    command: tuple[str, ...] = ()
    ready: str = ""
    builtin: str = ""
    capabilities: frozenset[str] = frozenset()
    ready_stream: str = "stdout"  # where the readiness line appears: stdout or stderr
    ready_socket: str = ""  # or "udp": no line; ready once its bound UDP socket exists
    io: str = "bench"  # clients: "bench" (docs/bench-protocol.md) or "raw" (bytes in, echo out)
    reports: bool = True  # servers: prints `recv` events

    @property
    def label(self) -> str:
        return f"{self.name}-{self.role}"


@dataclass(frozen=True)
class Vector:
    name: str
    payload: bytes
    expect: str = "echo"  # or "refused"
    requires: frozenset[str] = frozenset()
    reply: bytes | None = None  # the expected reply, when it is not the payload itself

    @property
    def expected_reply(self) -> bytes:
        return self.payload if self.reply is None else self.reply


@dataclass(frozen=True)
class Variant:
    """A way to run a cell: `plain`, or through a fault proxy (harness/faults.py)."""

    name: str
    requires: frozenset[str] = frozenset()
    proxy: str = ""  # "" or "fragmenting"


PROXIES = ("", "fragmenting")


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    check: str
    vectors_file: str
    variants: dict[str, Variant]
    lecture: str = ""
    reply_prefix: bytes = b""  # a server's reply is this prefix and the message
    server_view: str = "messages"  # how servers report: one `recv` per "messages", or chunks of a "stream"
    # Group examples (multicast): senders against named mixes of receivers, not clients × servers.
    mixes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def vectors(self) -> list[Vector]:
        vectors = load_vectors(HARNESS / self.vectors_file)
        if self.reply_prefix:
            vectors = [replace(v, reply=self.reply_prefix + v.payload) for v in vectors]
        return vectors


@dataclass(frozen=True)
class Cell:
    example: str
    client: Peer  # a group example's sender
    server: Peer  # a group example's receiver mix, as a peer named after the mix
    variant: str = PLAIN
    receivers: tuple[Peer, ...] = ()  # a group example's receivers

    @property
    def id(self) -> str:
        suffix = "" if self.variant == PLAIN else f":{self.variant}"
        return f"{self.example}[{self.client.label}->{self.server.label}{suffix}]"

    @property
    def involves_reference(self) -> bool:
        return bool(self.client.builtin or self.server.builtin)


@dataclass(frozen=True)
class ExpectedFailure:
    example: str
    client: str
    server: str
    variant: str
    reason: str

    def matches(self, cell: Cell) -> bool:
        return (
            fnmatch.fnmatchcase(cell.example, self.example)
            and fnmatch.fnmatchcase(cell.client.name, self.client)
            and fnmatch.fnmatchcase(cell.server.name, self.server)
            and fnmatch.fnmatchcase(cell.variant, self.variant)
        )


@dataclass
class Manifest:
    examples: dict[str, Example]
    peers: list[Peer]
    expected_failures: list[ExpectedFailure] = field(default_factory=list)

    def peers_of(self, example: str, role: str) -> list[Peer]:
        return [p for p in self.peers if p.example == example and p.role == role]

    def peer(self, example: str, role: str, name: str) -> Peer:
        for peer in self.peers_of(example, role):
            if peer.name == name:
                return peer
        known = ", ".join(p.name for p in self.peers_of(example, role)) or "none"
        raise ManifestError(f"no {role} named {name!r} for {example} (known: {known})")

    def cells(self, examples: Iterable[str] | None = None) -> list[Cell]:
        """Every client × server × variant pair whose capabilities match."""
        wanted = list(examples) if examples is not None else list(self.examples)
        cells = []
        for name in wanted:
            example = self.examples[name]
            if example.mixes:
                cells += self._group_cells(example)
                continue
            for variant in example.variants.values():
                for client in self.peers_of(name, "client"):
                    for server in self.peers_of(name, "server"):
                        if client.builtin and server.builtin:
                            continue  # the reference against itself proves nothing
                        if variant.requires <= client.capabilities & server.capabilities:
                            cells.append(Cell(name, client, server, variant.name))
        return cells

    def _group_cells(self, example: Example) -> list[Cell]:
        cells = []
        for mix, names in example.mixes.items():
            receivers = tuple(self.peer(example.name, "receiver", name) for name in names)
            languages = sorted({r.language for r in receivers})
            shared = frozenset.intersection(*(r.capabilities for r in receivers))
            group = Peer(mix, example.name, "receivers", "+".join(languages), "", capabilities=shared)
            for sender in self.peers_of(example.name, "sender"):
                for variant in example.variants.values():
                    cells.append(Cell(example.name, sender, group, variant.name, receivers))
        return cells

    def expected_failure(self, cell: Cell) -> ExpectedFailure | None:
        for entry in self.expected_failures:
            if entry.matches(cell):
                return entry
        return None


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table:
        raise ManifestError(f"{where}: missing {key!r}")
    return table[key]


def load(path: Path = MANIFEST, expected_failures: Path = EXPECTED_FAILURES) -> Manifest:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    examples = {}
    for name, table in data.get("example", {}).items():
        where = f"{path.name}: example {name}"
        variants = {
            variant: Variant(variant, frozenset(spec.get("requires", [])), spec.get("proxy", ""))
            for variant, spec in table.get("variants", {PLAIN: {}}).items()
        }
        for variant in variants.values():
            if variant.proxy not in PROXIES:
                raise ManifestError(f"{where}: variant {variant.name}: unknown proxy {variant.proxy!r}")
        examples[name] = Example(
            name=name,
            title=table.get("title", name),
            check=_require(table, "check", where),
            vectors_file=_require(table, "vectors", where),
            variants=variants,
            lecture=table.get("lecture", ""),
            reply_prefix=str(table.get("reply_prefix", "")).encode("utf-8"),
            server_view=table.get("server_view", "messages"),
            mixes={mix: tuple(names) for mix, names in table.get("mixes", {}).items()},
        )
        if examples[name].server_view not in ("messages", "stream"):
            raise ManifestError(f"{where}: server_view must be messages or stream")
    peers = []
    for index, table in enumerate(data.get("peer", [])):
        where = f"{path.name}: peer #{index + 1}"
        peer = Peer(
            name=_require(table, "name", where),
            example=_require(table, "example", where),
            role=_require(table, "role", where),
            language=_require(table, "language", where),
            source=table.get("source", ""),
            command=tuple(table.get("command", ())),
            ready=table.get("ready", ""),
            builtin=table.get("builtin", ""),
            capabilities=frozenset(table.get("capabilities", [])),
            ready_stream=table.get("ready_stream", "stdout"),
            ready_socket=table.get("ready_socket", ""),
            io=table.get("io", "bench"),
            reports=bool(table.get("reports", True)),
        )
        if peer.ready_stream not in ("stdout", "stderr") or peer.ready_socket not in ("", "udp"):
            raise ManifestError(f"{where}: ready_stream is stdout or stderr; ready_socket is udp or absent")
        if peer.io not in ("bench", "raw"):
            raise ManifestError(f"{where}: io must be bench or raw")
        if peer.example not in examples:
            raise ManifestError(f"{where}: unknown example {peer.example!r}")
        if peer.role not in ("server", "client", "sender", "receiver", "subscriber"):
            raise ManifestError(
                f"{where}: role must be server, client, sender, receiver or subscriber, not {peer.role!r}"
            )
        if bool(peer.command) == bool(peer.builtin):
            raise ManifestError(f"{where}: give exactly one of command and builtin")
        if peer.role in ("server", "receiver") and peer.command and not (peer.ready or peer.ready_socket):
            raise ManifestError(f"{where}: a server command needs its readiness pattern (or ready_socket)")
        peers.append(peer)
    seen = set()
    for peer in peers:
        key = (peer.example, peer.role, peer.name)
        if key in seen:
            raise ManifestError(f"{path.name}: two {peer.role}s named {peer.name!r} for {peer.example}")
        seen.add(key)
    return Manifest(examples, peers, load_expected_failures(expected_failures))


def load_expected_failures(path: Path) -> list[ExpectedFailure]:
    if not path.is_file():
        return []
    entries = []
    for index, table in enumerate(tomllib.loads(path.read_text(encoding="utf-8")).get("xfail", [])):
        where = f"{path.name}: entry #{index + 1}"
        entries.append(
            ExpectedFailure(
                example=_require(table, "example", where),
                client=table.get("client", "*"),
                server=table.get("server", "*"),
                variant=table.get("variant", "*"),
                reason=_require(table, "reason", where),
            )
        )
    return entries


TEXT_ENCODINGS = ("utf-8", "utf-16-be")


LIMIT_CASE_BYTES = 1000
REPEAT = re.compile(r"\{(.)\*(\d+)\}")


def expand_repeats(text: str) -> str:
    """`{C*N}` stands for C repeated N times (the calculator vectors' shorthand)."""
    return REPEAT.sub(lambda m: m.group(1) * int(m.group(2)), text)


def load_cases(data: dict[str, Any], path: Path) -> list[Vector]:
    """Request/reply vectors (`[[case]]`: request or request_hex, and reply), as one per request line."""
    vectors = []
    for index, case in enumerate(data.get("case", [])):
        where = f"{path.name}: case #{index + 1}"
        if "request_hex" in case:
            payload = bytes.fromhex(expand_repeats(case["request_hex"]))
        else:
            payload = expand_repeats(_require(case, "request", where)).encode("utf-8")
        reply = expand_repeats(_require(case, "reply", where)).encode("utf-8")
        name = case.get("name") or f"case-{index + 1}: {payload[:40].decode('utf-8', 'replace')}"
        requires = set(case.get("requires", []))
        if b"\n" in payload:
            requires.add("newline-in-request")  # a datagram can carry it; a line cannot
        if len(payload) >= LIMIT_CASE_BYTES:
            requires.add("line-limits")  # over UDP the request ID counts towards the same 1 KiB
        vectors.append(Vector(name=name, payload=payload, reply=reply, requires=frozenset(requires)))
    return vectors


def load_vectors(path: Path) -> list[Vector]:
    """The vectors of a file, parsed once per version of it (every cell of an example reads them)."""
    return list(_load_vectors(path, path.stat().st_mtime_ns))


@functools.lru_cache(maxsize=64)
def _load_vectors(path: Path, mtime_ns: int) -> tuple[Vector, ...]:
    return tuple(_parse_vectors(path))


def _parse_vectors(path: Path) -> list[Vector]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if "case" in data:
        return load_cases(data, path)
    encoding = data.get("text_encoding", "utf-8")
    if encoding not in TEXT_ENCODINGS:
        raise ManifestError(f"{path.name}: text_encoding must be one of {TEXT_ENCODINGS}")
    vectors = []
    for index, table in enumerate(data.get("vector", [])):
        where = f"{path.name}: vector #{index + 1}"
        vectors.append(
            Vector(
                name=_require(table, "name", where),
                payload=_payload(table, where, encoding),
                expect=table.get("expect", "echo"),
                requires=frozenset(table.get("requires", [])),
            )
        )
    return vectors


def _payload(table: dict[str, Any], where: str, encoding: str) -> bytes:
    kinds = [key for key in ("text", "hex", "repeat") if key in table]
    if len(kinds) != 1:
        raise ManifestError(f"{where}: give exactly one of text, hex, repeat")
    if "text" in table:
        payload = str(table["text"]).encode(encoding)
    elif "hex" in table:
        payload = bytes.fromhex("".join(str(table["hex"]).split()))
    else:
        unit = bytes.fromhex(table["repeat"]["hex"])
        length = int(table["repeat"]["length"])
        payload = (unit * (length // len(unit) + 1))[:length]
    return payload + bytes.fromhex(table.get("append_hex", ""))
