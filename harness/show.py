"""`crosswire show EXAMPLE`: the Python and Java implementations side by side, highlighted.

A class compares the twins line for line: for each role of the example, the
Python source on the left, the Java source on the right (both named in the
manifest), with syntax highlighting when the output is a terminal.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from harness.build import ROOT
from harness.manifest import Manifest, Peer

LEXERS = {".py": "python", ".java": "java"}


def twins(manifest: Manifest, example: str) -> list[tuple[str, Peer | None, Peer | None]]:
    """(role, python peer, java peer) for each role of `example`, by the manifest's peer names."""
    roles = dict.fromkeys(p.role for p in manifest.peers if p.example == example)
    pairs = []
    for role in roles:
        peers = [p for p in manifest.peers_of(example, role) if not p.builtin]
        python = next((p for p in peers if p.language == "python"), None)
        java = next((p for p in peers if p.language == "java"), None)
        if python or java:
            pairs.append((role, python, java))
    return pairs


def source_panel(peer: Peer | None, width: int) -> Syntax | str:
    if peer is None:
        return "(no implementation)"
    path = ROOT / peer.source
    lexer = LEXERS.get(path.suffix, "text")
    return Syntax(path.read_text(encoding="utf-8"), lexer, line_numbers=True, word_wrap=True,
                  code_width=width, theme="ansi_light")


def show(manifest: Manifest, example: str, console: Console | None = None) -> None:
    console = console or Console()
    width = max(40, (console.width - 8) // 2)
    for role, python, java in twins(manifest, example):
        table = Table(title=f"{example}: {role}", expand=True, show_lines=False)
        table.add_column(f"Python · {python.source if python else '-'}", ratio=1)
        table.add_column(f"Java · {java.source if java else '-'}", ratio=1)
        table.add_row(source_panel(python, width), source_panel(java, width))
        console.print(table)


def source_path(peer: Peer) -> Path:
    return ROOT / peer.source
