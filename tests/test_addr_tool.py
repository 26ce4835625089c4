"""The addr tool in both languages: lookup, reverse, parse and order, offline (localhost, literals, /etc/hosts)."""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from harness.drivers import java_executable, peer_environment
from harness.timeouts import CLIENT_TIMEOUT

LANGUAGES = ["python", "java"]


def addr(language: str, jar: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if language == "python":
        command = [sys.executable, "-m", "crosswire.addr", *args]
    else:
        command = [java_executable(), "-cp", str(jar), "crosswire.addr.Addr", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=CLIENT_TIMEOUT, env=peer_environment())


def events(language: str, jar: Path, *args: str, status: int = 0) -> list[dict[str, Any]]:
    result = addr(language, jar, "--json", *args)
    assert result.returncode == status, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


NUMBERS = ["0", "1", "4660", "0x1234", "65535", "65536", "0x12345678", "4294967295"]


def test_order_prints_the_same_json_and_text_in_both_languages(jar: Path) -> None:
    for mode in (["--json"], []):
        python, java = (addr(language, jar, *mode, "order", *NUMBERS) for language in LANGUAGES)
        assert python.returncode == java.returncode == 0, python.stderr + java.stderr
        assert python.stdout == java.stdout
        assert len(python.stdout.splitlines()) == (len(NUMBERS) if mode else 3 * len(NUMBERS))


def test_order_writes_network_order_big_endian_and_host_order_as_this_machine_does(jar: Path) -> None:
    """htons(0x1234) is the integer whose host-order bytes are 12 34: 0x3412 on a little-endian host."""
    (order,) = events("java", jar, "order", "0x1234")
    assert order["u16"]["network"] == "1234"
    assert order["u16"]["host"] == struct.pack("=H", 0x1234).hex()
    assert order["u32"]["network"] == "00001234"
    assert struct.pack("=H", order["u16"]["htons"]) == bytes.fromhex("1234")
    assert struct.pack("=I", order["u32"]["htonl"]) == bytes.fromhex("00001234")
    assert order["host_order"] == sys.byteorder
    (big,) = events("python", jar, "order", "65536")
    assert big["u16"] is None, "65,536 has no 16-bit form (Python's htons raises OverflowError)"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("argument", ["-1", "4294967296", "0x100000000", "12a", "0o17", "1_000", ""])
def test_order_refuses_what_is_not_a_32_bit_number(language: str, argument: str, jar: Path) -> None:
    result = addr(language, jar, "order", "--", argument)
    assert result.returncode == 2
    assert "addr:" in result.stderr


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "::1"])
def test_lookup_finds_the_same_addresses_in_both_languages(name: str, jar: Path) -> None:
    found = {}
    for language in LANGUAGES:
        (event,) = events(language, jar, "lookup", name)
        assert event["event"] == "lookup" and event["name"] == name
        found[language] = {(entry["family"], entry["packed"]) for entry in event["addresses"]}
    assert found["python"] == found["java"]
    assert found["python"]


def test_lookup_of_localhost_gives_the_loopback_address(jar: Path) -> None:
    for language in LANGUAGES:
        (event,) = events(language, jar, "lookup", "localhost")
        assert "7f000001" in {entry["packed"] for entry in event["addresses"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_lookup_of_an_unknown_name_is_an_error_event_and_status_1(language: str, jar: Path) -> None:
    """`.invalid` never resolves (RFC 2606); inside the sandbox the answer comes at once."""
    (event,) = events(language, jar, "lookup", "no-such-host.invalid", status=1)
    assert event["event"] == "error" and event["name"] == "no-such-host.invalid" and event["detail"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_lookup_reports_ipv6_as_each_language_writes_it(language: str, jar: Path) -> None:
    (event,) = events(language, jar, "lookup", "::1")
    text = {"python": "::1", "java": "0:0:0:0:0:0:0:1"}[language]
    assert event["addresses"] == [{"family": "IPv6", "text": text, "packed": "00" * 15 + "01"}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_reverse_finds_localhost_in_etc_hosts_and_nothing_for_a_documentation_address(
    language: str, jar: Path
) -> None:
    known, unknown = events(language, jar, "reverse", "127.0.0.1", "192.0.2.1")
    assert known == {"event": "reverse", "address": "127.0.0.1", "found": True, "name": "localhost"}
    assert unknown == {"event": "reverse", "address": "192.0.2.1", "found": False, "name": None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_reverse_takes_only_address_literals(language: str, jar: Path) -> None:
    result = addr(language, jar, "reverse", "localhost")
    assert result.returncode == 2
    assert "reverse needs an address literal" in result.stderr


def test_parse_by_hand_names_each_parser(jar: Path) -> None:
    python = addr("python", jar, "parse", "127.1").stdout.splitlines()
    java = addr("java", jar, "parse", "127.1").stdout.splitlines()
    assert python == [
        'parse "127.1"',
        "  ipaddress.ip_address:  invalid: '127.1' does not appear to be an IPv4 or IPv6 address",
        "  socket.inet_aton:      IPv4 127.0.0.1 (packed 7f000001)",
    ]
    assert java == ['parse "127.1"', "  InetAddress.getByName: IPv4 127.0.0.1 (packed 7f000001)"]


def test_lookup_by_hand_lists_the_addresses(jar: Path) -> None:
    for language in LANGUAGES:
        result = addr(language, jar, "lookup", "localhost")
        assert result.returncode == 0
        lines = result.stdout.splitlines()
        assert lines[0].startswith('lookup "localhost": ') and lines[0].endswith(" address(es)")
        assert "  IPv4 127.0.0.1" in lines[1:]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("args", [[], ["parse"], ["frobnicate", "x"], ["--bogus", "parse", "x"]])
def test_usage_errors_exit_2(language: str, args: list[str], jar: Path) -> None:
    assert addr(language, jar, *args).returncode == 2


def test_gethostbyname_is_ipv4_only_and_getaddrinfo_is_not() -> None:
    """The lecture's gethostbyname cannot return an IPv6 address; getaddrinfo (what `addr lookup` uses) can."""
    with pytest.raises(socket.gaierror):
        socket.gethostbyname("::1")
    assert {info[4][0] for info in socket.getaddrinfo("::1", None)} == {"::1"}


def test_python_htons_refuses_what_does_not_fit_in_16_bits() -> None:
    with pytest.raises(OverflowError):
        socket.htons(65536)
    with pytest.raises(OverflowError):
        socket.htons(-1)


def test_tcp_and_udp_have_a_port_space_each_and_port_0_is_not_a_destination() -> None:
    """"Each host has 65,536 ports": per protocol (and address), and port 0 only means "kernel, choose"."""
    with socket.create_server(("127.0.0.1", 0)) as tcp, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        port = tcp.getsockname()[1]
        assert port != 0, "binding port 0 asks the kernel for a free port"
        udp.bind(("127.0.0.1", port))  # the same number, another protocol: no conflict
        with pytest.raises(OSError):
            udp.sendto(b"x", ("127.0.0.1", 0))
