"""The board protocol codec (crosswire.protocol.board) against harness/vectors/board.toml, without sockets.

Every vector is encoded and decoded, fed one byte at a time as h11's tests do;
malformed input must raise the named error (and a decoder must go on after
a malformed body); the doc's own examples must be in the vectors, byte for
byte. `VECTORS` and `message_of` are importable for the Java twin's check.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire.protocol import board_errors, writeutf
from crosswire.protocol.board import (
    END_OF_STREAM,
    MAX_BODY,
    MAX_FETCH,
    MAX_TEXT_BYTES,
    NEED_DATA,
    Board,
    BoardEntry,
    Boards,
    Create,
    Created,
    ErrorReply,
    Fetch,
    Heartbeat,
    ListBoards,
    Lookup,
    Message,
    MessageDecoder,
    MessageEntry,
    Messages,
    Msg,
    Post,
    Posted,
    check_text,
    check_token,
    check_topic,
    decode_datagram,
    decode_reply,
    decode_request,
    encode,
    encode_body,
    messages_that_fit,
    reply_decoder,
    request_decoder,
    text_length,
)
from crosswire.protocol.board_errors import BoardError, ErrorCode, FieldOutOfRange, FramingError, MalformedBody
from crosswire.protocol.errors import LocalProtocolError, ProtocolError
from crosswire.protocol.mutf8 import text_from_utf16

ROOT = Path(__file__).resolve().parents[1]
VECTORS: dict[str, list[dict[str, Any]]] = tomllib.loads((ROOT / "harness/vectors/board.toml").read_text("utf-8"))
DOC = (ROOT / "docs/protocols/board.md").read_text("utf-8")


def unhex(text: str) -> bytes:
    return bytes.fromhex(text.replace(" ", ""))


def text_of(fields: dict[str, Any]) -> str:
    if "text_utf16" in fields:
        units = unhex(fields["text_utf16"])
        return text_from_utf16([int.from_bytes(units[i : i + 2], "big") for i in range(0, len(units), 2)])
    return str(fields["text"])


def message_of(v: dict[str, Any]) -> Message:
    """The message a [[message]] or [[datagram]] vector describes."""
    kind = v["kind"]
    rid = v.get("request_id", 0)
    built: dict[str, Message] = {}
    if kind == "CREATE":
        built[kind] = Create(rid, v["topic"])
    elif kind == "LIST":
        built[kind] = ListBoards(rid)
    elif kind == "POST":
        built[kind] = Post(rid, v["topic"], v["token"], text_of(v))
    elif kind == "LOOKUP":
        built[kind] = Lookup(rid, v["topic"])
    elif kind == "FETCH":
        built[kind] = Fetch(rid, v["topic"], v["from_seq"], v["to_seq"])
    elif kind == "CREATED":
        built[kind] = Created(rid, v["topic"], v["group"], v["port"], v["token"])
    elif kind == "BOARDS":
        built[kind] = Boards(rid, tuple(BoardEntry(**entry) for entry in v["boards"]))
    elif kind == "POSTED":
        built[kind] = Posted(rid, v["topic"], v["seq"])
    elif kind == "BOARD":
        built[kind] = Board(rid, v["topic"], v["group"], v["port"], v["last_seq"])
    elif kind == "MESSAGES":
        built[kind] = Messages(rid, v["topic"], tuple(MessageEntry(**entry) for entry in v["messages"]))
    elif kind == "ERROR":
        built[kind] = ErrorReply(rid, v["code"], v["message"])
    elif kind == "MSG":
        built[kind] = Msg(v["topic"], v["seq"], v["time_ms"], text_of(v))
    elif kind == "HEARTBEAT":
        built[kind] = Heartbeat(v["topic"], v["last_seq"])
    return built[kind]


def decoder_for(message: Message) -> MessageDecoder[Any]:
    return request_decoder() if isinstance(message, Create | ListBoards | Post | Lookup | Fetch) else reply_decoder()


def by_name(section: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("vector", VECTORS[section], ids=lambda v: v.get("name") or ascii(v["value"]))


@by_name("message")
def test_encoding_the_fields_gives_the_vector(vector: dict[str, Any]) -> None:
    assert encode(message_of(vector)).hex() == unhex(vector["hex"]).hex()


@by_name("message")
def test_decoding_the_vector_one_byte_at_a_time_gives_the_fields(vector: dict[str, Any]) -> None:
    message = message_of(vector)
    data = unhex(vector["hex"])
    decoder = decoder_for(message)
    for byte in data[:-1]:
        decoder.receive_data(bytes([byte]))
        assert decoder.next_message() is NEED_DATA
    decoder.receive_data(data[-1:])
    assert decoder.next_message() == message
    assert decoder.next_message() is NEED_DATA
    decoder.receive_data(b"")
    assert decoder.next_message() is END_OF_STREAM


@by_name("datagram")
def test_datagrams_encode_and_decode_as_the_vector(vector: dict[str, Any]) -> None:
    message = message_of(vector)
    assert encode(message) == encode_body(message) == unhex(vector["hex"])
    assert decode_datagram(unhex(vector["hex"])) == message


def test_the_docs_examples_are_vectors_byte_for_byte() -> None:
    examples = {unhex(span).hex() for span in re.findall(r"`([0-9a-f]+(?: [0-9a-f]+)+)`", DOC)}
    marked = {unhex(v["hex"]).hex() for section in ("message", "datagram") for v in VECTORS[section]
              if v.get("from_doc")}
    assert len(examples) == 4
    assert examples == marked


def test_every_kind_has_a_vector() -> None:
    kinds = {v["kind"] for section in ("message", "datagram") for v in VECTORS[section]}
    assert kinds == {"CREATE", "LIST", "POST", "LOOKUP", "FETCH", "CREATED", "BOARDS", "POSTED", "BOARD",
                     "MESSAGES", "ERROR", "MSG", "HEARTBEAT"}


def test_two_messages_in_one_chunk_come_out_one_by_one_and_trailing_bytes_wait() -> None:
    decoder = request_decoder()
    decoder.receive_data(encode(Create(1, "news")) + encode(ListBoards(2)) + b"\x00\x00")
    assert decoder.next_message() == Create(1, "news")
    assert decoder.next_message() == ListBoards(2)
    assert decoder.next_message() is NEED_DATA
    assert decoder.trailing_data == (b"\x00\x00", False)


# --- malformed input ------------------------------------------------------------------

ERRORS = {name: getattr(board_errors, name) for name in (
    "BadLength", "TruncatedStream", "UnsupportedVersion", "UnknownKind", "TruncatedBody", "TrailingBytes",
    "BadText", "NegativeCount",
)}
NEXT_FRAME = {"server": (encode(ListBoards(77)), ListBoards(77)),
              "client": (encode(Posted(77, "news", 1)), Posted(77, "news", 1))}


@by_name("malformed")
def test_malformed_input_raises_the_named_error(vector: dict[str, Any]) -> None:
    error_type = ERRORS[vector["error"]]
    decoder = request_decoder() if vector["side"] == "server" else reply_decoder()
    following, after = NEXT_FRAME[vector["side"]]
    fatal = vector.get("fatal", False)
    assert issubclass(error_type, FramingError if fatal else MalformedBody)
    # A frame after a malformed body must still be read; after a framing error nothing is.
    decoder.receive_data(unhex(vector["hex"]) + (b"" if fatal else following))
    decoder.receive_data(b"")
    with pytest.raises(error_type) as raised:
        decoder.next_message()
    if fatal:
        with pytest.raises(error_type):
            decoder.next_message()
    else:
        assert isinstance(raised.value, MalformedBody)
        assert raised.value.request_id == vector["request_id"]
        assert decoder.next_message() == after
        assert decoder.next_message() is END_OF_STREAM


@pytest.mark.parametrize("vector", [v for v in VECTORS["malformed"] if v["error"] == "BadLength"],
                         ids=lambda v: v["name"])
def test_a_bad_length_is_refused_as_soon_as_its_four_bytes_are_in(vector: dict[str, Any]) -> None:
    decoder = request_decoder()
    data = unhex(vector["hex"])
    for byte in data[:3]:
        decoder.receive_data(bytes([byte]))
        assert decoder.next_message() is NEED_DATA
    decoder.receive_data(data[3:4])
    with pytest.raises(board_errors.BadLength):
        decoder.next_message()


@by_name("malformed_datagram")
def test_malformed_datagrams_raise_the_named_error(vector: dict[str, Any]) -> None:
    with pytest.raises(ERRORS[vector["error"]]):
        decode_datagram(unhex(vector["hex"]))


def test_an_error_reply_to_a_malformed_body_carries_its_request_id() -> None:
    with pytest.raises(board_errors.UnsupportedVersion) as raised:
        decode_request(unhex("02 02 00000009"))
    assert (raised.value.version, raised.value.request_id, raised.value.detail) == (
        2, 9, "unsupported protocol version 2")


@given(st.binary(max_size=80))
def test_any_bytes_give_messages_or_protocol_errors_never_anything_else(data: bytes) -> None:
    for decode in (decode_request, decode_reply, decode_datagram):
        try:
            decode(data)
        except (MalformedBody, FramingError):
            pass
    decoder = request_decoder()
    decoder.receive_data(data)
    decoder.receive_data(b"")
    try:
        while decoder.next_message() is not END_OF_STREAM:
            pass
    except (MalformedBody, FramingError):
        pass


def test_data_after_the_end_of_the_stream_is_a_local_error() -> None:
    decoder = request_decoder()
    decoder.receive_data(b"")
    with pytest.raises(LocalProtocolError):
        decoder.receive_data(b"x")


# --- encoding what cannot be encoded ---------------------------------------------------


@pytest.mark.parametrize("message", [
    Create(2**31, "news"),
    Created(1, "news", "239.192.0.1", 2**31, "0" * 32),
    Fetch(1, "news", 2**63, 0),
    Msg("news", -(2**63) - 1, 0, ""),
], ids=["request-id", "port", "from-seq", "seq"])
def test_a_number_too_big_for_its_field_is_a_local_error(message: Message) -> None:
    with pytest.raises(FieldOutOfRange):
        encode(message)


def test_a_text_over_65535_bytes_cannot_be_written() -> None:
    with pytest.raises(writeutf.EncodedTooLong):
        encode(Post(1, "news", "0" * 32, "大" * 21_846))


def test_a_body_over_the_limit_is_refused_before_sending() -> None:
    entries = tuple(MessageEntry(seq, 0, "a" * MAX_TEXT_BYTES) for seq in range(1, 200))
    with pytest.raises(LocalProtocolError):
        encode(Messages(1, "news", entries))


def test_a_text_just_over_the_limit_can_still_be_sent_for_the_server_to_refuse() -> None:
    assert len(encode(Post(1, "news", "0" * 32, "a" * (MAX_TEXT_BYTES + 1)))) > MAX_TEXT_BYTES


# --- MESSAGES size ------------------------------------------------------------------------


def test_a_messages_reply_holds_at_most_1000() -> None:
    entries = [MessageEntry(seq, 0, "hi") for seq in range(1, 1500)]
    assert len(messages_that_fit(1, "news", entries)) == MAX_FETCH


def test_a_messages_reply_of_long_texts_stops_before_the_frame_limit() -> None:
    """1,000 texts of 8,000 bytes would be 8 MB: the doc's two limits disagree, so the body limit wins."""
    entries = [MessageEntry(seq, 1700000000000, "a" * MAX_TEXT_BYTES) for seq in range(1, 1001)]
    fitting = messages_that_fit(1, "news", entries)
    assert len(fitting) == 130
    assert len(encode_body(Messages(1, "news", fitting))) <= MAX_BODY
    assert len(encode_body(Messages(1, "news", tuple(entries[:131])))) > MAX_BODY


# --- limits ---------------------------------------------------------------------------------


@by_name("topic")
def test_topics(vector: dict[str, Any]) -> None:
    if vector["valid"]:
        assert check_topic(vector["value"]) == vector["value"]
    else:
        with pytest.raises(BoardError) as raised:
            check_topic(vector["value"])
        assert raised.value.code == ErrorCode.BAD_TOPIC


@by_name("token")
def test_tokens(vector: dict[str, Any]) -> None:
    if vector["valid"]:
        assert check_token(vector["value"]) == vector["value"]
    else:
        with pytest.raises(BoardError) as raised:
            check_token(vector["value"])
        assert raised.value.code == ErrorCode.BAD_TOKEN


@pytest.mark.parametrize("vector", VECTORS["text"], ids=lambda v: f"{v['count']}x{ord(v['char']):04x}")
def test_texts(vector: dict[str, Any]) -> None:
    text = vector["char"] * vector["count"]
    assert text_length(text) == vector["bytes"]
    if vector["valid"]:
        assert check_text(text) == text
    else:
        with pytest.raises(BoardError) as raised:
            check_text(text)
        assert raised.value.code == ErrorCode.TOO_LONG


# --- round trips -------------------------------------------------------------------------

longs = st.integers(-(2**63), 2**63 - 1)
ints = st.integers(-(2**31), 2**31 - 1)
texts = st.text(max_size=50)


@given(st.one_of(
    st.builds(Create, ints, texts),
    st.builds(ListBoards, ints),
    st.builds(Post, ints, texts, texts, texts),
    st.builds(Lookup, ints, texts),
    st.builds(Fetch, ints, texts, longs, longs),
))
def test_every_request_comes_back(message: Message) -> None:
    decoder = request_decoder()
    decoder.receive_data(encode(message))
    assert decoder.next_message() == message


@given(st.one_of(
    st.builds(Created, ints, texts, texts, ints, texts),
    st.builds(Boards, ints, st.lists(st.builds(BoardEntry, texts, texts, ints, longs), max_size=4).map(tuple)),
    st.builds(Posted, ints, texts, longs),
    st.builds(Board, ints, texts, texts, ints, longs),
    st.builds(Messages, ints, texts, st.lists(st.builds(MessageEntry, longs, longs, texts), max_size=4).map(tuple)),
    st.builds(ErrorReply, ints, texts, texts),
))
def test_every_reply_comes_back(message: Message) -> None:
    assert decode_reply(encode_body(message)) == message


@given(st.one_of(st.builds(Msg, texts, longs, longs, texts), st.builds(Heartbeat, texts, longs)))
def test_every_datagram_comes_back(message: Msg | Heartbeat) -> None:
    assert decode_datagram(encode(message)) == message


def test_all_board_errors_are_protocol_errors() -> None:
    for error in (*ERRORS.values(), BoardError, FieldOutOfRange):
        assert issubclass(error, ProtocolError)
