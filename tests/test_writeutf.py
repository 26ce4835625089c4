"""writeUTF framing on bytes: frame/unframe and the incremental FrameDecoder.

The Java oracle for the same framing is tests/test_writeutf_java_oracle.py.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire.protocol.errors import LocalProtocolError, RemoteProtocolError
from crosswire.protocol.writeutf import (
    END_OF_STREAM,
    MAX_ENCODED_LENGTH,
    NEED_DATA,
    EncodedTooLong,
    EndOfStream,
    FrameDecoder,
    MalformedInput,
    NeedData,
    TruncatedFrame,
    frame,
    unframe,
)

THREE_BYTE = "\u0800"  # the first character modified UTF-8 writes in 3 bytes
MESSAGES = ["", "hello", "\x00", "大家好", "\U0001f600", "\ud800", "\uffff", "x" * 300]


def test_frame_prefixes_the_big_endian_encoded_length() -> None:
    assert frame("hello") == b"\x00\x05hello"
    assert frame("") == b"\x00\x00"
    assert frame("\x00") == b"\x00\x02\xc0\x80"
    assert frame("\U0001f600") == b"\x00\x06\xed\xa0\xbd\xed\xb8\x80"
    assert frame("x" * 256)[:2] == b"\x01\x00"


def test_frame_fits_exactly_65535_encoded_bytes() -> None:
    text = THREE_BYTE * (MAX_ENCODED_LENGTH // 3)
    framed = frame(text)
    assert framed[:2] == b"\xff\xff"
    assert len(framed) == 2 + 65_535
    assert unframe(framed) == (text, b"")


def test_frame_fits_65535_ascii_characters() -> None:
    assert len(frame("a" * 65_535)) == 65_537


def test_frame_one_byte_over_raises_encoded_too_long() -> None:
    text = THREE_BYTE * (MAX_ENCODED_LENGTH // 3 - 1) + "\x00\x00"  # 65,532 + 4 bytes
    with pytest.raises(EncodedTooLong, match="encoded string too long: 65536 bytes") as caught:
        frame(text)
    assert caught.value.encoded_length == 65_536
    assert isinstance(caught.value, LocalProtocolError)


def test_frame_too_long_counts_three_byte_characters() -> None:
    with pytest.raises(EncodedTooLong, match="65538 bytes"):
        frame(THREE_BYTE * (MAX_ENCODED_LENGTH // 3 + 1))


def test_unframe_leaves_trailing_bytes_alone() -> None:
    assert unframe(frame("héllo") + b"\xff\x00rest") == ("héllo", b"\xff\x00rest")


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"\x00\x05hell", b"\xff\xff" + b"a" * 65_534],
    ids=["empty", "half a header", "short payload", "one byte short of 65535"],
)
def test_unframe_incomplete_raises_truncated_frame(data: bytes) -> None:
    with pytest.raises(TruncatedFrame, match="truncated frame"):
        unframe(data)


def test_unframe_checks_the_length_before_the_payload() -> None:
    """Java's readUTF reads the whole payload before decoding, so EOF wins."""
    with pytest.raises(TruncatedFrame):
        unframe(b"\x00\x03\xff")


def test_unframe_malformed_payload_says_where() -> None:
    with pytest.raises(MalformedInput, match="at offset 1") as caught:
        unframe(b"\x00\x02a\x80")
    assert isinstance(caught.value, RemoteProtocolError)


def test_error_messages_say_how_much_is_missing() -> None:
    with pytest.raises(TruncatedFrame, match="after 1 of the 2 length bytes"):
        unframe(b"\x00")
    with pytest.raises(TruncatedFrame, match="announces 5 bytes .* ended after 4"):
        unframe(b"\x00\x05hell")


# -- FrameDecoder ---------------------------------------------------------


def drain(decoder: FrameDecoder) -> list[str]:
    """Every whole message the decoder can hand out now."""
    messages = []
    while isinstance(message := decoder.next_message(), str):
        messages.append(message)
    return messages


def feed_one_byte_at_a_time(data: bytes) -> tuple[list[str], FrameDecoder]:
    """Feed `data` byte by byte, asking for messages after every byte (h11's `tr()`)."""
    decoder = FrameDecoder()
    messages: list[str] = []
    for index in range(len(data)):
        decoder.receive_data(data[index : index + 1])
        messages.extend(drain(decoder))
    return messages, decoder


def test_decoder_needs_data_before_anything_arrives() -> None:
    assert FrameDecoder().next_message() is NEED_DATA


def test_decoder_one_byte_at_a_time() -> None:
    stream = b"".join(frame(message) for message in MESSAGES)
    messages, decoder = feed_one_byte_at_a_time(stream)
    assert messages == MESSAGES
    assert decoder.next_message() is NEED_DATA
    decoder.receive_data(b"")
    assert decoder.next_message() is END_OF_STREAM
    assert decoder.next_message() is END_OF_STREAM


def test_decoder_returns_a_message_only_once_it_is_whole() -> None:
    framed = frame("大家好")
    decoder = FrameDecoder()
    for index in range(len(framed) - 1):
        decoder.receive_data(framed[index : index + 1])
        assert decoder.next_message() is NEED_DATA
    decoder.receive_data(framed[-1:])
    assert decoder.next_message() == "大家好"


def test_decoder_many_frames_at_once() -> None:
    decoder = FrameDecoder()
    decoder.receive_data(b"".join(frame(message) for message in MESSAGES * 50))
    decoder.receive_data(b"")
    assert drain(decoder) == MESSAGES * 50
    assert decoder.next_message() is END_OF_STREAM


def test_decoder_leaves_trailing_bytes_alone() -> None:
    decoder = FrameDecoder()
    decoder.receive_data(frame("one") + b"\x00\x05tw")
    assert decoder.next_message() == "one"
    assert decoder.next_message() is NEED_DATA
    assert decoder.trailing_data == (b"\x00\x05tw", False)


@pytest.mark.parametrize("partial", [b"\x00", b"\x00\x05", b"\x00\x05tw"])
def test_decoder_end_of_stream_inside_a_frame_is_truncated(partial: bytes) -> None:
    decoder = FrameDecoder()
    decoder.receive_data(frame("ok") + partial)
    decoder.receive_data(b"")
    assert decoder.next_message() == "ok"
    with pytest.raises(TruncatedFrame):
        decoder.next_message()
    with pytest.raises(TruncatedFrame):  # and it stays that way
        decoder.next_message()


def test_decoder_skips_a_malformed_frame_and_carries_on() -> None:
    """Like readUTF, the bad frame is consumed: the framing is still intact."""
    decoder = FrameDecoder()
    decoder.receive_data(frame("before") + b"\x00\x04\xf0\x9f\x98\x80" + frame("after"))
    assert decoder.next_message() == "before"
    with pytest.raises(MalformedInput, match="4-byte UTF-8 sequence"):
        decoder.next_message()
    assert decoder.next_message() == "after"


def test_decoder_refuses_data_after_end_of_stream() -> None:
    decoder = FrameDecoder()
    decoder.receive_data(b"")
    decoder.receive_data(b"")  # repeating the end is harmless
    with pytest.raises(LocalProtocolError, match="after the end of the stream"):
        decoder.receive_data(b"x")


def test_decoder_largest_frame_one_byte_at_a_time() -> None:
    text = THREE_BYTE * (MAX_ENCODED_LENGTH // 3)
    messages, _ = feed_one_byte_at_a_time(frame(text))
    assert messages == [text]


def test_markers_are_distinct_single_member_types() -> None:
    """One member each, so mypy narrows `next_message()` with `is NEED_DATA`."""
    assert list(NeedData) == [NEED_DATA]
    assert list(EndOfStream) == [END_OF_STREAM]


text_with_surrogates = st.text(st.characters(codec=None), max_size=40)


@given(st.lists(text_with_surrogates, max_size=8), st.data())
def test_decoder_any_chunking_gives_the_same_messages(messages: list[str], data: st.DataObject) -> None:
    stream = b"".join(frame(message) for message in messages)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    decoder = FrameDecoder()
    received: list[str] = []
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        if start < end:
            decoder.receive_data(stream[start:end])
        received.extend(drain(decoder))
    decoder.receive_data(b"")
    assert decoder.next_message() is END_OF_STREAM
    assert [unframe(frame(m))[0] for m in messages] == received


@given(text_with_surrogates, st.binary(max_size=8))
def test_unframe_inverts_frame_and_keeps_the_rest(text: str, rest: bytes) -> None:
    decoded, remaining = unframe(frame(text) + rest)
    assert frame(decoded) == frame(text)
    assert remaining == rest
