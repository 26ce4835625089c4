"""The manifest, the vectors and the expected failures are data the matrix is generated from."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import manifest
from harness.drivers import expand


def test_every_example_has_peers_in_both_languages(peers: manifest.Manifest) -> None:
    for example in peers.examples:
        roles = {p.role for p in peers.peers if p.example == example}
        assert roles in ({"server", "client"}, {"sender", "receiver"}, {"server", "client", "subscriber"}), roles
        for role in roles:
            languages = {p.language for p in peers.peers_of(example, role) if not p.builtin}
            assert {"python", "java"} <= languages, f"{example} {role}s: {languages}"


def test_every_peer_source_file_exists(peers: manifest.Manifest) -> None:
    root = Path(manifest.HARNESS).parent
    for peer in peers.peers:
        assert (root / peer.source).is_file(), f"{peer.label} of {peer.example}: {peer.source}"


def test_cells_pair_every_client_with_every_server_but_reference_with_itself(peers: manifest.Manifest) -> None:
    ids = {cell.id for cell in peers.cells(["udp-echo"])}
    assert "udp-echo[java-client->python-server]" in ids
    assert "udp-echo[python-client->java-server]" in ids
    assert "udp-echo[java-client->reference-server]" in ids
    assert "udp-echo[reference-client->java-server]" in ids
    assert "udp-echo[reference-client->reference-server]" not in ids
    clients, servers = (len(peers.peers_of("udp-echo", role)) for role in ("client", "server"))
    assert len(ids) == clients * servers - 1


def test_every_expected_failure_matches_a_cell(peers: manifest.Manifest) -> None:
    cells = peers.cells()
    for entry in peers.expected_failures:
        assert any(entry.matches(cell) for cell in cells), f"entry matches no cell: {entry}"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "peers.toml"
    path.write_text(text)
    return path


EXAMPLE = """
[example.demo]
check = "harness.examples.echo"
vectors = "vectors/udp-echo.toml"
[example.demo.variants.plain]
requires = []
[example.demo.variants.fragmented]
requires = ["stream"]
"""


def peer(name: str, role: str, capabilities: str = "[]") -> str:
    ready = "ready = 'READY'\n" if role == "server" else ""
    return (
        f'[[peer]]\nname = "{name}"\nexample = "demo"\nrole = "{role}"\nlanguage = "x"\n'
        f'command = ["prog"]\n{ready}capabilities = {capabilities}\n'
    )


def test_a_variant_is_generated_only_where_both_peers_support_it(tmp_path: Path) -> None:
    text = EXAMPLE + peer("a", "server", '["stream"]') + peer("b", "server") + peer("c", "client", '["stream"]')
    loaded = manifest.load(write(tmp_path, text), tmp_path / "none.toml")
    assert sorted(cell.id for cell in loaded.cells()) == [
        "demo[c-client->a-server:fragmented]",
        "demo[c-client->a-server]",
        "demo[c-client->b-server]",
    ]


def test_expected_failures_match_by_pattern(tmp_path: Path) -> None:
    text = EXAMPLE + peer("a", "server") + peer("c", "client")
    failures = tmp_path / "xfail.toml"
    failures.write_text('[[xfail]]\nexample = "demo"\nclient = "c"\nreason = "because"\n')
    loaded = manifest.load(write(tmp_path, text), failures)
    (cell,) = loaded.cells()
    found = loaded.expected_failure(cell)
    assert found is not None and found.reason == "because"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (EXAMPLE + peer("a", "server").replace("ready = 'READY'\n", ""), "readiness pattern"),
        (EXAMPLE + peer("a", "server") + peer("a", "server"), "two servers named 'a'"),
        (EXAMPLE + peer("a", "server").replace('"demo"', '"nothing"'), "unknown example"),
        (EXAMPLE + peer("a", "router"), "role must be server, client, sender, receiver or subscriber"),
    ],
)
def test_a_malformed_manifest_is_refused_with_a_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(manifest.ManifestError, match=message):
        manifest.load(write(tmp_path, text), tmp_path / "none.toml")


def test_vectors_expand_text_hex_and_repeat(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(
        '[[vector]]\nname="t"\ntext="大"\n'
        '[[vector]]\nname="h"\nhex="00 ff"\n'
        '[[vector]]\nname="r"\nrepeat={hex="0102", length=5}\nexpect="refused"\n'
    )
    vectors = manifest.load_vectors(path)
    assert [v.payload for v in vectors] == [b"\xe5\xa4\xa7", b"\x00\xff", b"\x01\x02\x01\x02\x01"]
    assert vectors[2].expect == "refused"


def test_udp_echo_vectors_include_the_boundaries(peers: manifest.Manifest) -> None:
    sizes = {v.name: len(v.payload) for v in peers.examples["udp-echo"].vectors()}
    assert sizes["largest-ipv4-payload"] == 65_507
    assert sizes["one-byte-over-the-largest"] == 65_508
    assert sizes["empty-datagram"] == 0


def test_commands_expand_placeholders_and_refuse_unknown_ones() -> None:
    assert expand(("{python}", "-m", "x", "--port", "{port}"), port="0")[3:] == ["--port", "0"]
    with pytest.raises(ValueError, match="unknown placeholder"):
        expand(("{nothing}",))
