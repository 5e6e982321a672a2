"""``Stream.to_sse()`` / ``Stream.to_ndjson()``: re-emitting a stream for a browser.

Fixtures are the exact bytes a server sends, served by ``responses`` from a body that hands out one
chunk per read and records how far it was read, so the tests can check the upstream is closed
(and not drained) when the consumer stops.
"""

from __future__ import annotations

import io
import json
from typing import Any, Iterator, List, Sequence

import pytest
import responses

from openai_core import Client

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"
RESPONSES_URL = f"{BASE_URL}/responses"
CHUNK_1 = b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}'
CHUNK_2 = (
    b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"h\xc3\xa9"},"finish_reason":null}]}'
)
CREATED = (
    b'{"type":"response.created","sequence_number":0,"response":{"id":"resp_1",'
    b'"object":"response","created_at":1,"status":"in_progress","model":"m","output":[]}}'
)
DELTA = (
    b'{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1",'
    b'"output_index":0,"content_index":0,"delta":"Hi"}'
)
ERROR = b'{"type":"error","code":"server_error","message":"The model broke","param":null}'


class Body(io.RawIOBase):
    """A response body handing out one chunk per read; records whether it was closed."""

    def __init__(self, chunks: Sequence[bytes]) -> None:
        super().__init__()
        self._chunks: List[bytes] = list(chunks)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._chunks:
            return 0
        chunk = self._chunks.pop(0)
        assert len(chunk) <= len(buffer)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    @property
    def unread(self) -> int:
        return len(self._chunks)


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-secret-key", max_retries=0, timeout=5) as c:
        yield c


def serve(server: responses.RequestsMock, url: str, *chunks: bytes) -> Body:
    raw = Body(chunks)
    server.add(
        responses.POST,
        url,
        body=io.BufferedReader(raw),  # type: ignore[arg-type]
        content_type="text/event-stream",
        headers={"x-request-id": "req_fwd"},
    )
    return raw


def chat(client: Client) -> Any:
    return client.chat().completions().create().model("m").message_user("hi").stream()


def respond(client: Client) -> Any:
    return client.responses().create().model("m").input_text("hi").stream()


def test_chat_sse_is_data_lines_ending_with_done(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        CHAT_URL,
        b"data: " + CHUNK_1 + b"\n\n",
        b"data: " + CHUNK_2 + b"\n\ndata: [DONE]\n\n",
    )
    assert list(chat(client).to_sse()) == [
        b"data: " + CHUNK_1 + b"\n\n",
        b"data: " + CHUNK_2 + b"\n\n",
        b"data: [DONE]\n\n",
    ]


def test_responses_sse_names_each_event_with_its_type(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        RESPONSES_URL,
        b"event: response.created\ndata: " + CREATED + b"\n\n",
        b": keepalive\n\nevent: response.output_text.delta\ndata: " + DELTA + b"\n\n",
    )
    stream = respond(client)
    assert b"".join(stream.to_sse()) == (
        b"event: response.created\ndata: " + CREATED + b"\n\n"
        b"event: response.output_text.delta\ndata: " + DELTA + b"\n\n"
    )
    assert stream.output_text == "Hi"  # forwarding still accumulates


def test_ndjson_is_one_json_object_per_line(server: responses.RequestsMock, client: Client) -> None:
    serve(server, RESPONSES_URL, b"data: " + CREATED + b"\n\n", b"data: " + DELTA + b"\n\n")
    assert list(respond(client).to_ndjson()) == [CREATED + b"\n", DELTA + b"\n"]


def test_chat_ndjson_has_no_done_marker(server: responses.RequestsMock, client: Client) -> None:
    serve(server, CHAT_URL, b"data: " + CHUNK_1 + b"\n\ndata: [DONE]\n\n")
    assert list(chat(client).to_ndjson()) == [CHUNK_1 + b"\n"]


@pytest.mark.parametrize("method", ["to_sse", "to_ndjson"])
def test_closing_the_generator_early_closes_the_upstream(
    server: responses.RequestsMock, client: Client, method: str
) -> None:
    raw = serve(
        server,
        CHAT_URL,
        b"data: " + CHUNK_1 + b"\n\n",
        b"data: " + CHUNK_2 + b"\n\n",
        b"data: " + CHUNK_2 + b"\n\n",
        b"data: [DONE]\n\n",
    )
    stream = chat(client)
    forward = getattr(stream, method)()
    next(forward)
    forward.close()  # what a WSGI server does when the browser goes away
    assert raw.closed
    assert stream.response.raw.closed
    assert raw.unread >= 2  # closed, not drained


def test_an_error_in_the_stream_becomes_a_last_error_event(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        RESPONSES_URL,
        b"event: response.created\ndata: " + CREATED + b"\n\n",
        b"event: error\ndata: " + ERROR + b"\n\n",
        b"event: response.output_text.delta\ndata: " + DELTA + b"\n\n",
    )
    events = list(respond(client).to_sse())
    assert len(events) == 2
    assert events[-1].startswith(b"event: error\ndata: ")
    assert events[-1].endswith(b"\n\n")
    payload = json.loads(events[-1][len(b"event: error\ndata: ") :])
    assert payload["type"] == "error"
    assert payload["error"]["message"] == "The model broke"
    assert payload["error"]["code"] == "server_error"
    assert payload["request_id"] == "req_fwd"
    assert b"sk-secret-key" not in b"".join(events)
    assert raw.closed


def test_an_error_in_ndjson_is_a_last_error_line(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server, CHAT_URL, b"data: " + CHUNK_1 + b"\n\n", b"event: error\ndata: " + ERROR + b"\n\n"
    )
    lines = list(chat(client).to_ndjson())
    assert lines[0] == CHUNK_1 + b"\n"
    error = json.loads(lines[1])
    assert error["type"] == "error"
    assert error["error"]["message"] == "The model broke"
    assert error["request_id"] == "req_fwd"
    assert len(lines) == 2


def test_a_non_sdk_error_sends_no_details(
    server: responses.RequestsMock, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, CHAT_URL, b"data: " + CHUNK_1 + b"\n\n", b"data: " + CHUNK_2 + b"\n\n")
    stream = chat(client)

    def broken(payload: Any) -> Any:
        raise RuntimeError("secret detail sk-secret-key")

    next(stream)
    monkeypatch.setattr(stream, "_decode", broken)
    events = list(stream.to_sse())
    assert events == [
        b'event: error\ndata: {"type":"error","error":{"message":"internal error",'
        b'"type":"RuntimeError","code":null,"param":null},"request_id":"req_fwd"}\n\n'
    ]
