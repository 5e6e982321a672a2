"""The SSE decoder ``iter_sse_events`` against the WHATWG event-stream rules (wire-rules, SSE).

Each test feeds raw byte chunks and checks the dispatched events. The last group contrasts the
decoder with ``sseclient-py``'s parser on the inputs where that parser is wrong, which is why
``openai_core._sse`` carries its own decoder.

Source: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
"""

from __future__ import annotations

import json
from typing import Iterable, List, Optional, Tuple

import pytest
import sseclient

from openai_core import ServerSentEvent
from openai_core._sse import iter_sse_events

pytestmark = pytest.mark.timeout(30)

Event = Tuple[Optional[str], str, Optional[str], Optional[int]]


def decode(*chunks: bytes) -> List[ServerSentEvent]:
    return list(iter_sse_events(iter(chunks)))


def summary(events: Iterable[ServerSentEvent]) -> List[Event]:
    return [(e.event, e.data, e.id, e.retry) for e in events]


def datas(*chunks: bytes) -> List[str]:
    return [e.data for e in decode(*chunks)]


def one_byte_at_a_time(stream: bytes) -> List[bytes]:
    return [stream[i : i + 1] for i in range(len(stream))]


def sseclient_events(*chunks: bytes) -> List[Tuple[str, str, Optional[str], Optional[str]]]:
    """What ``sseclient-py``'s own parser makes of the same chunks."""
    client = sseclient.SSEClient(iter(chunks))
    return [(e.event, e.data, e.id, e.retry) for e in client.events()]


# --- line endings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stream",
    [
        pytest.param(b"event: add\ndata: 1\n\ndata: 2\n\n", id="lf"),
        pytest.param(b"event: add\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n", id="crlf"),
        pytest.param(b"event: add\rdata: 1\r\rdata: 2\r\r", id="cr"),
        pytest.param(b"event: add\r\ndata: 1\n\rdata: 2\r\n\n", id="mixed"),
    ],
)
def test_lines_end_at_crlf_cr_or_lf(stream: bytes) -> None:
    assert summary(decode(stream)) == [("add", "1", None, None), (None, "2", None, None)]


def test_crlf_split_across_two_chunks_is_one_line_ending() -> None:
    # "\r" ends the first read, its "\n" starts the second: one line break, not two.
    events = decode(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n")
    assert [e.data for e in events] == ["a\nb"]


def test_crlf_split_across_chunks_before_the_blank_line() -> None:
    events = decode(b"data: a\r\n\r", b"\ndata: b\r\n\r\n")
    assert [e.data for e in events] == ["a", "b"]


def test_cr_ending_one_chunk_then_crlf_in_the_next_dispatches() -> None:
    # "data: a" CR ends the line; the next read's CRLF is the blank line that dispatches.
    events = decode(b"data: a\r", b"\r\ndata: b\r\n\r\n")
    assert [e.data for e in events] == ["a", "b"]


def test_lone_lf_chunk_after_cr_chunk_is_swallowed_only_once() -> None:
    # CR | LF | LF: the first LF completes the CRLF, the second is a blank line.
    assert datas(b"data: a\r", b"\n", b"\n") == ["a"]


# --- character decoding ------------------------------------------------------------------------


def test_multibyte_utf8_character_split_across_chunks() -> None:
    payload = "data: héllo → 世界 🎉\n\n".encode()
    split_at = payload.index("é".encode()) + 1  # inside the two-byte "é"
    emoji = payload.index("🎉".encode())
    chunks = [payload[:split_at], payload[split_at : emoji + 2], payload[emoji + 2 :]]
    assert datas(*chunks) == ["héllo → 世界 🎉"]


def test_invalid_utf8_becomes_replacement_character_without_error() -> None:
    assert datas(b"data: ok \xff\xfe bad \xc3\n\n") == ["ok \ufffd\ufffd bad \ufffd"]


def test_invalid_utf8_in_event_name_and_id_is_replaced() -> None:
    (event,) = decode(b"event: a\xffb\nid: 1\xfe\ndata: x\n\n")
    assert (event.event, event.id) == ("a\ufffdb", "1\ufffd")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c"])
def test_unicode_line_separators_inside_json_are_not_line_breaks(char: str) -> None:
    text = f"before{char}after"
    stream = ("data: " + json.dumps({"text": text}, ensure_ascii=False) + "\n\n").encode()
    (event,) = decode(stream)
    assert json.loads(event.data) == {"text": text}


# --- fields ------------------------------------------------------------------------------------


def test_comment_lines_are_ignored() -> None:
    stream = b": OPENROUTER PROCESSING\n:\ndata: a\n: ping in the middle\ndata: b\n\n: tail\n\n"
    assert datas(stream) == ["a\nb"]


def test_exactly_one_leading_space_is_stripped() -> None:
    stream = b"data:  two\n\ndata:none\n\ndata:\tx\n\ndata:   \n\n"
    assert datas(stream) == [" two", "none", "\tx", "  "]


def test_value_keeps_colons_after_the_first() -> None:
    assert datas(b'data: {"a": "b:c"}\n\n') == ['{"a": "b:c"}']


def test_multi_line_data_is_joined_with_lf() -> None:
    assert datas(b"data: first\ndata:\ndata: third\n\n") == ["first\n\nthird"]


def test_field_without_colon_has_empty_value() -> None:
    assert datas(b"data\ndata\n\n") == ["\n"]


def test_bare_data_line_dispatches_an_empty_string() -> None:
    assert summary(decode(b"data:\n\n")) == [(None, "", None, None)]


def test_id_persists_across_events() -> None:
    stream = b"id: 7\ndata: a\n\ndata: b\n\nid: 8\ndata: c\n\nid\ndata: d\n\n"
    assert [(e.data, e.id) for e in decode(stream)] == [
        ("a", "7"),
        ("b", "7"),
        ("c", "8"),
        ("d", ""),
    ]


def test_id_containing_nul_is_ignored() -> None:
    stream = b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"
    assert [(e.data, e.id) for e in decode(stream)] == [("a", "1"), ("b", "1")]


def test_id_without_data_is_remembered_for_the_next_event() -> None:
    assert [(e.data, e.id) for e in decode(b"id: 5\n\ndata: a\n\n")] == [("a", "5")]


def test_retry_is_an_integer_and_persists() -> None:
    stream = b"retry: 3000\ndata: a\n\ndata: b\n\nretry: 10\ndata: c\n\n"
    assert [(e.data, e.retry) for e in decode(stream)] == [("a", 3000), ("b", 3000), ("c", 10)]
    assert all(isinstance(e.retry, int) for e in decode(stream))


@pytest.mark.parametrize("value", [b"3s", b"-1", b"1.5", b"", b" 100", b"\xd9\xa1"])
def test_retry_that_is_not_only_ascii_digits_is_ignored(value: bytes) -> None:
    stream = b"retry: 50\ndata: a\n\nretry: " + value + b"\ndata: b\n\n"
    assert [(e.data, e.retry) for e in decode(stream)] == [("a", 50), ("b", 50)]


def test_unknown_fields_are_ignored() -> None:
    stream = b"foo: bar\nData: no\ndata : no\nevent_type: x\ndata: kept\n\n"
    assert summary(decode(stream)) == [(None, "kept", None, None)]


def test_event_name_applies_to_one_event_only() -> None:
    stream = b"event: first\ndata: a\n\ndata: b\n\n"
    assert [(e.event, e.data) for e in decode(stream)] == [("first", "a"), (None, "b")]


def test_event_with_no_data_is_not_dispatched() -> None:
    stream = b"event: ping\n\nid: 3\n\nretry: 5\n\n\n\n: only a comment\n\n"
    assert decode(stream) == []


def test_event_name_is_reset_by_a_blank_line_even_without_data() -> None:
    # The "ping" event has no data and is dropped; its name must not leak into the next event.
    assert [(e.event, e.data) for e in decode(b"event: ping\n\ndata: a\n\n")] == [(None, "a")]


# --- end of input ------------------------------------------------------------------------------


def test_unterminated_last_event_is_dropped() -> None:
    assert datas(b"data: a\n\ndata: b") == ["a"]
    assert datas(b"data: a\n\ndata: b\n") == ["a"]
    assert datas(b"data: a\n\ndata: b\r") == ["a"]


def test_empty_chunks_are_ignored() -> None:
    assert datas(b"", b"data: a", b"", b"\n", b"", b"\n", b"") == ["a"]


def test_empty_input_yields_nothing() -> None:
    assert decode() == []


def test_decoder_is_lazy() -> None:
    # An event is handed out as soon as its blank line arrives, before the next chunk is read.
    def chunks() -> Iterable[bytes]:
        yield b"data: a\n\n"
        raise AssertionError("read past the first event")

    events = iter_sse_events(chunks())
    assert next(events).data == "a"


# --- size and chunking -------------------------------------------------------------------------


def test_very_large_event_split_into_many_chunks() -> None:
    text = "x" * (6 * 1024 * 1024)
    stream = b"data: " + json.dumps({"content": text}).encode() + b"\n\ndata: small\n\n"
    chunk_size = 8192
    chunks = [stream[i : i + chunk_size] for i in range(0, len(stream), chunk_size)]
    assert len(chunks) > 700
    events = decode(*chunks)
    assert len(events) == 2
    assert json.loads(events[0].data)["content"] == text
    assert events[1].data == "small"


def test_very_large_multi_line_event() -> None:
    line = b"data: " + b"y" * 1000 + b"\n"
    stream = line * 5000 + b"\n"
    chunks = [stream[i : i + 4093] for i in range(0, len(stream), 4093)]
    (event,) = decode(*chunks)
    assert event.data == "\n".join(["y" * 1000] * 5000)


STREAM = (
    b": comment\r\n"
    b"retry: 1500\r\n"
    b"id: 1\r\n"
    b"event: message\r\n"
    b'data: {"a": "\xc3\xa9\xe2\x80\xa8"}\r\n'
    b"\r\n"
    b"data: two\rdata:  lines\r\r"
    b"id: 2\x00\n"
    b"event: named\n"
    b"data: \xf0\x9f\x8e\x89 \xff\n"
    b"\n"
    b"unknown: field\n"
    b"data: last\r\n\r\n"
    b"data: unterminated"
)

EXPECTED = [
    ("message", '{"a": "é\u2028"}', "1", 1500),
    (None, "two\n lines", "1", 1500),
    ("named", "🎉 \ufffd", "1", 1500),
    (None, "last", "1", 1500),
]


def test_reference_stream_in_one_chunk() -> None:
    assert summary(decode(STREAM)) == EXPECTED


def test_one_byte_at_a_time_gives_the_same_events_as_one_chunk() -> None:
    assert summary(decode(*one_byte_at_a_time(STREAM))) == summary(decode(STREAM))


@pytest.mark.parametrize("size", [2, 3, 5, 7, 11, 64])
def test_any_chunk_size_gives_the_same_events(size: int) -> None:
    chunks = [STREAM[i : i + size] for i in range(0, len(STREAM), size)]
    assert summary(decode(*chunks)) == EXPECTED


def test_every_two_way_split_gives_the_same_events() -> None:
    for cut in range(len(STREAM) + 1):
        assert summary(decode(STREAM[:cut], STREAM[cut:])) == EXPECTED, cut


def test_keepalive_sent_as_data_is_data_to_the_decoder() -> None:
    # Per the spec "data: : keepalive" is data (": keepalive"); skipping it is the job of the
    # stream layer above (compat C3), not of the decoder.
    assert datas(b"data: : keepalive\n\n") == [": keepalive"]


# --- why not sseclient-py's parser -------------------------------------------------------------


def test_sseclient_fails_on_invalid_utf8_where_ours_replaces() -> None:
    stream = b"data: bad \xff byte\n\n"
    with pytest.raises(UnicodeDecodeError):
        sseclient_events(stream)
    assert datas(stream) == ["bad \ufffd byte"]


def test_sseclient_yields_the_unterminated_last_event_where_ours_drops_it() -> None:
    stream = b'data: {"a": 1}\n\ndata: {"trunc'
    assert [e[1] for e in sseclient_events(stream)] == ['{"a": 1}', '{"trunc']
    assert datas(stream) == ['{"a": 1}']


def test_sseclient_misses_the_dispatch_of_cr_followed_by_crlf() -> None:
    chunks = (b"data: a\r", b"\r\ndata: b\r\n\r\n")
    assert [e[1] for e in sseclient_events(*chunks)] == ["a\nb"]  # two events glued into one
    assert datas(*chunks) == ["a", "b"]


def test_sseclient_does_not_keep_id_across_events_or_ignore_nul() -> None:
    stream = b"id: 7\ndata: a\n\ndata: b\n\nid: x\x00y\ndata: c\n\n"
    assert [e[2] for e in sseclient_events(stream)] == ["7", None, "x\x00y"]
    assert [e.id for e in decode(stream)] == ["7", "7", "7"]


def test_sseclient_keeps_retry_as_text_where_ours_is_an_int() -> None:
    stream = b"retry: soon\ndata: a\n\nretry: 3000\ndata: b\n\n"
    assert [e[3] for e in sseclient_events(stream)] == ["soon", "3000"]
    assert [e.retry for e in decode(stream)] == [None, 3000]


def test_byte_order_mark_at_stream_start_is_skipped() -> None:
    assert decode(b"\xef\xbb\xbfdata: x\n\n") == [ServerSentEvent("x")]


def test_byte_order_mark_split_across_reads_is_skipped() -> None:
    assert decode(b"\xef", b"\xbb", b"\xbfdata: x\n\n") == [ServerSentEvent("x")]


def test_byte_order_mark_later_in_the_stream_is_data() -> None:
    assert decode(b"data: \xef\xbb\xbfx\n\n") == [ServerSentEvent("\ufeffx")]
