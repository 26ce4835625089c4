"""The fragmenting proxy changes segmentation, never the bytes, and always stops."""

from __future__ import annotations

import random
import socket
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.faults import FragmentingProxy, plan_segments, seed_for
from harness.timeouts import REPLY_TIMEOUT


@given(st.binary(max_size=5000), st.integers(0, 2**32))
def test_segments_join_back_to_the_chunk(data: bytes, seed: int) -> None:
    pieces = plan_segments(data, random.Random(seed))
    assert b"".join(pieces) == data
    assert all(pieces) or data == b""


def test_the_same_seed_cuts_the_same_way() -> None:
    data = bytes(range(256)) * 4
    assert plan_segments(data, random.Random(7)) == plan_segments(data, random.Random(7))
    assert seed_for("a[b->c]") == seed_for("a[b->c]") != seed_for("a[c->b]")


class EchoServer:
    """A plain TCP echo server thread, for driving the proxy."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = self.listener.getsockname()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)

    def close(self) -> None:
        self.listener.close()
        self.thread.join(REPLY_TIMEOUT)


@pytest.fixture
def proxied() -> Iterator[tuple[FragmentingProxy, EchoServer]]:
    server = EchoServer()
    proxy = FragmentingProxy(server.address, seed=1234)
    try:
        yield proxy, server
    finally:
        proxy.close()
        server.close()


def receive_exactly(sock: socket.socket, count: int) -> tuple[bytes, int]:
    """`count` bytes, and how many recv calls it took."""
    data, calls = b"", 0
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        assert chunk, "connection closed early"
        data, calls = data + chunk, calls + 1
    return data, calls


def test_bytes_cross_the_proxy_unchanged_but_in_pieces(proxied: tuple[FragmentingProxy, EchoServer]) -> None:
    proxy, _ = proxied
    payload = random.Random(1).randbytes(100_000)
    with socket.create_connection(proxy.address, timeout=REPLY_TIMEOUT) as client:
        total_calls = 0
        for start in range(0, len(payload), 1000):
            piece = payload[start : start + 1000]
            client.sendall(piece)
            echoed, calls = receive_exactly(client, len(piece))
            assert echoed == piece
            total_calls += calls
    assert total_calls > len(payload) // 1000, "the proxy never split a reply"


def test_a_half_close_passes_through(proxied: tuple[FragmentingProxy, EchoServer]) -> None:
    proxy, _ = proxied
    with socket.create_connection(proxy.address, timeout=REPLY_TIMEOUT) as client:
        client.sendall(b"last words")
        client.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := client.recv(100):
            received += chunk
    assert received == b"last words"


def test_closing_the_proxy_ends_its_threads(proxied: tuple[FragmentingProxy, EchoServer]) -> None:
    proxy, _ = proxied
    before = threading.active_count()
    with socket.create_connection(proxy.address, timeout=REPLY_TIMEOUT) as client:
        client.sendall(b"x")
        receive_exactly(client, 1)
        proxy.close()
    assert not any(thread.is_alive() for thread in proxy._threads)
    assert threading.active_count() < before
