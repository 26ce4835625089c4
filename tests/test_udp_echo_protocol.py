"""UDP echo's protocol rules, on bytes alone."""

from __future__ import annotations

import pytest

from crosswire.protocol.udp_echo import MAX_IPV4_UDP_PAYLOAD, DatagramTooLarge, check_datagram, is_reply


def test_the_largest_ipv4_udp_payload_is_65507_bytes_not_2_to_the_16() -> None:
    assert MAX_IPV4_UDP_PAYLOAD == 65_507
    assert check_datagram(bytes(65_507)) == bytes(65_507)
    with pytest.raises(DatagramTooLarge, match="65508 bytes.*65507"):
        check_datagram(bytes(65_508))


def test_a_reply_must_match_bytes_and_source() -> None:
    server = ("127.0.0.1", 6789)
    assert is_reply(b"Mon", server, b"Mon", ("127.0.0.1", 6789))
    assert not is_reply(b"Tue", server, b"Mon", server)  # a late echo of the previous message
    assert not is_reply(b"Mon", server, b"Mon", ("127.0.0.1", 6790))  # a stranger
