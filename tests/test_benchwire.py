"""The bench line format, on text alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire.protocol import benchwire


def test_ready_line_round_trips() -> None:
    line = benchwire.ready_line("udp-echo", "127.0.0.1", 40123)
    assert line == "READY udp-echo 127.0.0.1:40123"
    assert benchwire.parse_ready_line(line + "\n") == ("udp-echo", "127.0.0.1", 40123)


@pytest.mark.parametrize(
    "line", ["", "READY", "READY udp-echo", "READY udp-echo 127.0.0.1", "READY udp-echo host:port", "{\"event\":1}"]
)
def test_other_lines_are_not_ready_lines(line: str) -> None:
    assert benchwire.parse_ready_line(line) is None


@given(st.binary(max_size=300))
def test_message_lines_carry_any_bytes(message: bytes) -> None:
    line = benchwire.message_line(message)
    assert "\n" not in line and line.isascii()
    assert benchwire.parse_message_line(line + "\n", 1) == message


def test_message_lines_accept_uppercase_and_crlf() -> None:
    assert benchwire.parse_message_line("FF00\r\n", 3) == b"\xff\x00"


def test_a_non_hex_message_line_names_its_line_number() -> None:
    with pytest.raises(benchwire.BenchLineError, match="stdin line 7"):
        benchwire.parse_message_line("hello\n", 7)


@given(st.text(max_size=50))
def test_event_lines_are_ascii_and_round_trip(text: str) -> None:
    line = benchwire.event_line("error", detail=text)
    assert line.isascii()
    assert benchwire.parse_event_line(line) == {"event": "error", "detail": text}


@pytest.mark.parametrize("line", ["not json", "[1, 2]", '{"no_event": 1}', '{"event": 3}'])
def test_a_line_that_is_no_event_is_refused(line: str) -> None:
    with pytest.raises(benchwire.BenchLineError):
        benchwire.parse_event_line(line)


def test_a_ready_line_may_carry_extra_fields() -> None:
    line = "READY multicast-receiver 239.1.2.3:5000 iface=127.0.0.1 ack=127.0.0.1:4000"
    assert benchwire.parse_ready_line(line) == ("multicast-receiver", "239.1.2.3", 5000)
