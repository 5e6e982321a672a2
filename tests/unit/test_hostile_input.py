"""Property-based tests with hostile input: SSE streams split anywhere, arbitrary bytes, JSON that
only looks like the API's schemas, and error bodies of any shape.

Each property states what the SDK promises for *every* input: the same events however the bytes
are split, and no exception except the SDK's documented ``APIError`` family.
"""

from __future__ import annotations

import json
import operator
import typing
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import attrs
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from openai_core import APIError, APIResponseValidationError, ServerSentEvent
from openai_core._convert import BaseModel, from_dict
from openai_core._errors import parse_error_body
from openai_core._generated.models import MODULES, model
from openai_core._sse import EventSource, iter_sse_events

pytestmark = pytest.mark.timeout(60)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)

# JSON nested deeper than the interpreter's recursion limit: ``json.loads`` raises RecursionError.
_DEEP_OPENERS = st.sampled_from(["[", '{"error":', '{"a":'])

# -- SSE streams ---------------------------------------------------------------------------------

# Field values: any text without CR/LF (those end a line); ids also without NUL (ignored by spec).
_value = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"))
_id = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"))
_name = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n:"), min_size=1
)


@st.composite
def _events(draw: st.DrawFn) -> List[Tuple[List[str], Optional[str], Optional[str], List[str]]]:
    """Events as (data lines, event name, id, comments)."""
    return draw(
        st.lists(
            st.tuples(
                st.lists(_value, min_size=1, max_size=3),
                st.none() | _name,
                st.none() | _id,
                st.lists(_value, max_size=2),
            ),
            max_size=6,
        )
    )


def _serialise(
    events: Sequence[Tuple[List[str], Optional[str], Optional[str], List[str]]],
    endings: Iterator[bytes],
) -> bytes:
    out = bytearray()

    def line(text: str) -> None:
        out.extend(text.encode("utf-8") + next(endings))

    for data, name, event_id, comments in events:
        for comment in comments:
            line(":" + comment)
        if name is not None:
            line("event: " + name)
        if event_id is not None:
            line("id: " + event_id)
        for value in data:
            line("data: " + value)
        line("")
    return bytes(out)


def _expected(
    events: Sequence[Tuple[List[str], Optional[str], Optional[str], List[str]]],
) -> List[ServerSentEvent]:
    result = []
    last_id: Optional[str] = None
    for data, name, event_id, _ in events:
        if event_id is not None:
            last_id = event_id
        result.append(ServerSentEvent("\n".join(data), name, last_id, None))
    return result


def _split(data: bytes, cuts: List[int]) -> List[bytes]:
    points = sorted({min(cut, len(data)) for cut in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(data[start:point])
        start = point
    pieces.append(data[start:])
    return pieces


@FAST
@given(events=_events(), ending=st.sampled_from([b"\n", b"\r", b"\r\n"]), data=st.data())
def test_a_valid_stream_decodes_to_its_events_however_it_is_split(
    events: Any, ending: bytes, data: st.DataObject
) -> None:
    stream = _serialise(events, iter(lambda: ending, None))
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=12))
    assert list(iter_sse_events([stream])) == _expected(events)
    assert list(iter_sse_events(_split(stream, cuts))) == _expected(events)


@FAST
@given(events=_events(), data=st.data())
def test_mixed_line_endings_split_anywhere_decode_like_the_unsplit_stream(
    events: Any, data: st.DataObject
) -> None:
    endings = data.draw(st.lists(st.sampled_from([b"\n", b"\r", b"\r\n"]), min_size=64))
    stream = _serialise(events, iter(endings * 8))
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=12))
    one_byte = [stream[i : i + 1] for i in range(len(stream))]
    whole = list(iter_sse_events([stream]))
    assert list(iter_sse_events(_split(stream, cuts))) == whole
    assert list(iter_sse_events(one_byte)) == whole


@FAST
@given(st.lists(st.binary(max_size=64), max_size=8))
def test_arbitrary_bytes_never_break_the_decoder(chunks: List[bytes]) -> None:
    events = list(iter_sse_events(chunks))
    assert events == list(iter_sse_events([b"".join(chunks)]))
    assert all(isinstance(event.data, str) for event in events)


class _Raw:
    """Just enough of urllib3's response for ``iter_raw_chunks``: ``read1`` hands out chunks."""

    chunked = False

    def __init__(self, chunks: List[bytes]) -> None:
        self._chunks = [chunk for chunk in chunks if chunk]
        self.closed = False

    def read1(self, amount: int = -1, decode_content: bool = True) -> bytes:
        return self._chunks.pop(0) if self._chunks else b""

    def close(self) -> None:
        self.closed = True

    def release_conn(self) -> None:
        pass


def _response(chunks: List[bytes]) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.headers = CaseInsensitiveDict({"content-type": "text/event-stream"})
    response.raw = _Raw(chunks)
    return response


_sse_ish = st.lists(
    st.one_of(
        st.binary(max_size=32),
        st.sampled_from([b"data: ", b"\n\n", b"\r\n", b"event: error\n", b"data: [DONE]\n\n"]),
        st.builds(lambda v: b"data: " + json.dumps(v).encode() + b"\n\n", _json),
        st.sampled_from(
            [
                b'data: {"error": {"message": "x"}}\n\n',
                b'data: {"type": "error"}\n\n',
                b"data: {\n\n",
                b"event: other\ndata: 1\n\n",
                b"event: error\ndata: not json\n\n",
                b"data: null\n\n",
            ]
        ),
    ),
    max_size=10,
)


@FAST
@given(chunks=_sse_ish, named=st.booleans(), envelope=st.booleans())
def test_event_source_raises_only_sdk_errors_on_any_bytes(
    chunks: List[bytes], named: bool, envelope: bool
) -> None:
    response = _response(chunks)
    source = EventSource(response, named_events=named, envelope=envelope)
    while True:  # every event is consumed: the loop ends at None or an error
        try:
            payload = source.next_payload()
        except APIError:
            assert response.raw.closed
            return
        if payload is None:
            assert response.raw.closed
            return
        if envelope:
            assert set(payload) == {"event", "data"}


# -- JSON shaped like the response schemas ---------------------------------------------------------


def _model_classes(count: int = 30) -> List[type]:
    """Every k-th generated model, so that the sample spans the namespaces deterministically."""
    names = sorted(MODULES)
    step = max(1, len(names) // (count * 3))
    classes = []
    for name in names[::step]:
        cls = model(name)
        if isinstance(cls, type) and issubclass(cls, BaseModel) and attrs.has(cls):
            classes.append(cls)
        if len(classes) == count:
            break
    return classes


MODELS = _model_classes()


def _plausible(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """A value of roughly type ``tp`` (as JSON), or sometimes any JSON value at all."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        return st.text(max_size=8)
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers()
    if tp is float:
        return st.floats() | st.integers()
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is typing.Union:
        return st.one_of([_plausible(arg, depth) for arg in args])
    if origin in (list, tuple, typing.List, Sequence) and depth > 0:
        item = _plausible(args[0], depth - 1) if args else _json
        return st.lists(item, max_size=2)
    if origin in (dict, typing.Dict) and depth > 0:
        value = _plausible(args[1], depth - 1) if len(args) == 2 else _json
        return st.dictionaries(st.text(max_size=6), value, max_size=2)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and depth > 0:
        return _shaped(tp, depth - 1)
    return _json


def _shaped(cls: type, depth: int = 2) -> st.SearchStrategy[Dict[str, Any]]:
    """Objects with ``cls``'s wire keys (each present or not), plausible values or any JSON."""
    hints = typing.get_type_hints(cls)
    optional: Dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        if field.name == "extra" or field.name not in hints:
            continue
        wire = field.metadata.get("wire", field.name)
        optional[wire] = _plausible(hints[field.name], depth) | _json
    return st.fixed_dictionaries({}, optional=optional)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@given(data=st.data(), strict=st.booleans())
def test_schema_shaped_json_decodes_or_raises_validation_error(
    cls: type, data: st.DataObject, strict: bool
) -> None:
    payload = data.draw(_shaped(cls) | _json)
    try:
        decoded = from_dict(payload, cls, strict=strict)
    except APIResponseValidationError:
        return
    assert isinstance(decoded, cls)
    json.dumps(decoded.to_dict())  # what was decoded can be written back


# -- error bodies ---------------------------------------------------------------------------------


@FAST
@given(
    st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64),
        _json,
        _json.map(json.dumps),
        st.dictionaries(st.sampled_from(["error", "message", "detail", "code", "object"]), _json),
        st.dictionaries(st.just("error"), st.dictionaries(st.text(max_size=6), _json)),
        st.builds(operator.mul, _DEEP_OPENERS, st.sampled_from([1, 50, 100_000])),
    )
)
def test_parse_error_body_never_fails(body: Any) -> None:
    message, _, _, kind, param = parse_error_body(body)
    assert isinstance(message, str)
    assert kind is None or isinstance(kind, str)
    assert param is None or isinstance(param, str)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_nested_too_deep_is_a_validation_error_not_a_recursion_error(opener: str) -> None:
    from openai_core._client import _decode_json

    deep = (opener * 100_000).encode()
    response = requests.Response()
    response.status_code = 200
    response._content = deep
    with pytest.raises(APIResponseValidationError):
        _decode_json(response)
    source = EventSource(_response([b"data: " + deep + b"\n\n"]))
    with pytest.raises(APIResponseValidationError):
        source.next_payload()
    assert parse_error_body(deep)[0]


def test_a_null_event_does_not_end_the_stream() -> None:
    source = EventSource(_response([b"data: null\n\n", b"data: 1\n\n"]))
    assert source.next_payload() == 1
    assert source.next_payload() is None
    assert source.response.raw.closed
