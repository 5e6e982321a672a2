"""Compatibility cases C1–C9 and C33 (SSE framing and in-stream errors), through the public API.

Every fixture is the exact byte stream a server sends; ``responses`` serves it as
``text/event-stream`` from a body that hands out one chunk per read and records what was read,
so the tests can also check that a stream closes its response and never drains it.
"""

from __future__ import annotations

import gc
import io
import json
from typing import Any, Iterator, List, Optional, Sequence, Union

import pytest
import responses

from openai_core import (
    APIError,
    APIStatusError,
    BadRequestError,
    ChatCompletionStream,
    Client,
    InternalServerError,
    OpenAIError,
    ResponseStream,
)
from openai_core.types.responses import ResponseCreatedEvent, ResponseTextDeltaEvent

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"
RESPONSES_URL = f"{BASE_URL}/responses"


class Body(io.RawIOBase):
    """A response body that hands out one chunk per read and records how far it was read.

    A chunk that is an exception is raised when read (a socket that should never be reached).
    """

    def __init__(self, chunks: Sequence[Union[bytes, BaseException]]) -> None:
        super().__init__()
        self._chunks: List[Union[bytes, BaseException]] = list(chunks)
        self.reads = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._chunks:
            return 0
        chunk = self._chunks[0]
        if isinstance(chunk, BaseException):
            raise chunk
        size = min(len(chunk), len(buffer))
        buffer[:size] = chunk[:size]
        if size < len(chunk):
            self._chunks[0] = chunk[size:]
        else:
            self._chunks.pop(0)
        self.reads += 1
        return size

    @property
    def unread(self) -> int:
        """Chunks never handed out."""
        return len(self._chunks)


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, timeout=5) as c:
        yield c


def serve(
    server: responses.RequestsMock,
    *chunks: Union[bytes, BaseException],
    url: str = CHAT_URL,
    status: int = 200,
) -> Body:
    raw = Body(chunks)
    server.add(
        responses.POST,
        url,
        body=io.BufferedReader(raw),  # type: ignore[arg-type]
        status=status,
        content_type="text/event-stream",
        headers={"x-request-id": "req_stream"},
    )
    return raw


def open_chat(client: Client) -> ChatCompletionStream:
    return client.chat().completions().create().model("m").message_user("hi").stream()


def open_responses(client: Client) -> ResponseStream:
    return client.responses().create().model("m").input_text("hi").stream()


def piece(content: str, finish_reason: Optional[str] = None) -> bytes:
    """One chat chunk as a server writes it (compact JSON)."""
    reason = json.dumps(finish_reason).encode()
    return (
        b'{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,'
        b'"model":"m","choices":[{"index":0,"delta":{"content":'
        + json.dumps(content, ensure_ascii=False).encode()
        + b'},"finish_reason":'
        + reason
        + b"}]}"
    )


def contents(stream: ChatCompletionStream) -> List[Optional[str]]:
    return [chunk.choices[0].delta.content for chunk in stream if chunk.choices]


def text_of(stream: ChatCompletionStream) -> Optional[str]:
    return stream.current_completion().choices[0].message.content


def assert_closed(stream: Any, raw: Body) -> None:
    assert raw.closed
    assert stream.response.raw.closed


def sent_body(server: responses.RequestsMock) -> Any:
    body = server.calls[-1].request.body
    return json.loads(body)


DONE = b"data: [DONE]\n\n"


# --- A. SSE framing ----------------------------------------------------------------------------


def test_c1_comment_lines_ignored(server: responses.RequestsMock, client: Client) -> None:
    raw = serve(
        server,
        b": OPENROUTER PROCESSING\n\n"
        b": OPENROUTER PROCESSING\n\n"
        b"data: " + piece("Hel") + b"\n\n"
        b": ping\n"
        b"data: " + piece("lo") + b"\n\n"
        b": keepalive\n\n" + DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["Hel", "lo"]
        assert text_of(stream) == "Hello"
    assert_closed(stream, raw)
    assert sent_body(server)["stream"] is True


def test_c2_events_without_data_are_never_dispatched(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        b"data:\n\n"  # an empty data line
        b"data: \n\n"  # an empty data line with its space
        b"id: 42\n\n"  # only id
        b"retry: 3000\n\n"  # only retry
        b"event: message\n\n"  # only event
        b"\n\n\n"
        b"data: " + piece("ok") + b"\n\n"
        b"id: 43\nretry: 10\n\n" + DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["ok"]


def test_c3_keepalive_sent_as_data_is_skipped(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        b"data: : keepalive\n\n"
        b"data: " + piece("a") + b"\n\n"
        b"data: :ping\n\n"
        b"data: : keepalive\n\n"
        b"data: " + piece("b") + b"\n\n" + DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["a", "b"]


def test_c3_keepalive_as_first_event_does_not_fail_the_request(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(server, b"data: : keepalive\n\n" * 3 + b"data: " + piece("late") + b"\n\n" + DONE)
    with open_chat(client) as stream:
        assert contents(stream) == ["late"]


def test_c4_unknown_named_events_are_skipped(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        b"event: keepalive\ndata: \n\n"
        b"data: " + piece("a") + b"\n\n"
        b'event: tool_progress\ndata: {"tool":"web_search","progress":0.5}\n\n'
        b"event: keepalive\ndata: {}\n\n"
        b"event: message\ndata: " + piece("b") + b"\n\n" + DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["a", "b"]
        assert text_of(stream) == "ab"


def test_c5_error_event_raises_the_status_class_of_its_code(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("partial") + b"\n\n"
        b"event: error\n"
        b'data: {"error":{"message":"Please reduce the length of the messages.",'
        b'"type":"invalid_request_error","param":"messages","code":400}}\n\n',
        b"data: " + piece("never") + b"\n\n" + DONE,
    )
    stream = open_chat(client)
    with pytest.raises(BadRequestError) as info:
        for _ in stream:
            pass
    error = info.value
    assert error.status == 400
    assert error.message == "Please reduce the length of the messages."
    assert error.type == "invalid_request_error"
    assert error.param == "messages"
    assert error.body["code"] == 400
    assert error.request_id == "req_stream"
    assert text_of(stream) == "partial"
    assert_closed(stream, raw)
    assert raw.unread == 1  # never read on to the chunk after the error


def test_c5_error_event_from_groq_raises_with_parsed_body(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        b"data: " + piece("x") + b"\n\n"
        b"event: error\n"
        b'data: {"error":{"message":"Rate limit reached for model `llama-3.3-70b`",'
        b'"type":"tokens","code":"rate_limit_exceeded"}}\n\n',
    )
    with open_chat(client) as stream, pytest.raises(APIError) as info:
        list(stream)
    error = info.value
    assert not isinstance(error, APIStatusError)  # no HTTP-like code to map
    assert isinstance(error, OpenAIError)
    assert error.message == "Rate limit reached for model `llama-3.3-70b`"
    assert error.code == "rate_limit_exceeded"
    assert error.type == "tokens"
    assert error.body == {
        "message": "Rate limit reached for model `llama-3.3-70b`",
        "type": "tokens",
        "code": "rate_limit_exceeded",
    }
    assert "Rate limit reached" in str(error)


def test_c5_error_event_with_plain_text_data_raises(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(server, b"data: " + piece("x") + b"\n\nevent: error\ndata: upstream went away\n\n")
    with open_chat(client) as stream, pytest.raises(APIError, match="upstream went away"):
        list(stream)


def test_c6_stream_without_done_ends_cleanly(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("Hel") + b"\n\n",
        b"data: " + piece("lo", "stop") + b"\n\n",
    )
    stream = open_chat(client)
    assert contents(stream) == ["Hel", "lo"]
    assert list(stream) == []  # stays exhausted
    completion = stream.final_completion()
    assert completion.choices[0].message.content == "Hello"
    assert completion.choices[0].finish_reason == "stop"
    assert_closed(stream, raw)


def test_c7_done_then_more_bytes_stops_and_closes(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("a") + b"\n\n",
        b"data: [DONE]\n\n",
        b"data: " + piece("after done") + b"\n\n",
        AssertionError("read past [DONE]: the socket stays open"),
    )
    stream = open_chat(client)
    assert contents(stream) == ["a"]
    assert_closed(stream, raw)
    assert raw.reads == 2
    assert raw.unread == 2
    assert stream.final_completion().choices[0].message.content == "a"


def test_c7_done_in_the_same_read_as_later_bytes(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("a") + b"\n\ndata: [DONE]\n\ndata: " + piece("b") + b"\n\n",
        AssertionError("read past [DONE]"),
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["a"]
        assert_closed(stream, raw)
    assert raw.unread == 1


def test_c8_data_line_break_before_the_json(server: responses.RequestsMock, client: Client) -> None:
    serve(server, b"data:\ndata: " + piece("a") + b"\n\ndata:\n" + b"data:" + piece("b") + b"\n\n")
    with open_chat(client) as stream:
        assert contents(stream) == ["a", "b"]


def test_c8_crlf_line_endings(server: responses.RequestsMock, client: Client) -> None:
    serve(
        server,
        b"data: " + piece("a") + b"\r\n\r\n"
        b": ping\r\n\r\n"
        b"data: " + piece("b") + b"\r\n\r\n"
        b"data: [DONE]\r\n\r\n",
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["a", "b"]


def test_c8_cr_line_endings(server: responses.RequestsMock, client: Client) -> None:
    serve(server, b"data: " + piece("a") + b"\r\rdata: " + piece("b") + b"\r\rdata: [DONE]\r\r")
    with open_chat(client) as stream:
        assert contents(stream) == ["a", "b"]


def test_c8_event_split_across_reads(server: responses.RequestsMock, client: Client) -> None:
    first = b"data: " + piece("héllo") + b"\r\n\r\n"
    second = b"data: " + piece("wörld") + b"\r\n\r\n"
    cut = first.index("é".encode()) + 1  # inside a two-byte character
    raw = serve(
        server,
        first[:5],
        first[5:cut],
        first[cut:-3],
        first[-3:-1],  # "\n\r" : the CRLF of the blank line straddles this read and the next
        first[-1:] + second[:-1],
        second[-1:],
        DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["héllo", "wörld"]
    assert raw.reads == 7


def test_c8_multi_line_data(server: responses.RequestsMock, client: Client) -> None:
    serve(
        server,
        b'data: {"id":"chatcmpl-1","object":"chat.completion.chunk",\n'
        b'data:  "created":1,"model":"m",\n'
        b'data: "choices":[{"index":0,"delta":{"content":"multi"}}]}\n\n' + DONE,
    )
    with open_chat(client) as stream:
        assert contents(stream) == ["multi"]


def test_c8_invalid_utf8_bytes(server: responses.RequestsMock, client: Client) -> None:
    chunk = piece("ok").replace(b'"ok"', b'"ok \xff\xfe!"')
    serve(server, b"data: " + chunk + b"\n\n" + DONE)
    with open_chat(client) as stream:
        assert contents(stream) == ["ok \ufffd\ufffd!"]


LLAMA_OVERFLOW = (
    b'{"error":{"code":400,"message":"the request exceeds the available context size, '
    b'try increasing it","type":"exceed_context_size_error","n_prompt_tokens":9000,'
    b'"n_ctx":8192}}'
)


def test_c9_error_as_first_event_raises_like_a_non_2xx(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(server, b"data: " + LLAMA_OVERFLOW + b"\n\n")
    with pytest.raises(APIStatusError) as in_stream:
        open_chat(client)
    assert raw.closed

    server.replace(
        responses.POST,
        CHAT_URL,
        body=LLAMA_OVERFLOW,
        status=400,
        content_type="application/json",
    )
    with pytest.raises(APIStatusError) as as_status:
        open_chat(client)

    assert type(in_stream.value) is type(as_status.value) is BadRequestError
    for error in (in_stream.value, as_status.value):
        assert error.status == error.status_code == 400
        assert error.type == "exceed_context_size_error"
        assert error.code == 400
        assert "exceeds the available context size" in error.message
        assert error.body["n_ctx"] == 8192


def test_c9_error_first_event_with_server_error_code(
    server: responses.RequestsMock, client: Client
) -> None:
    serve(
        server,
        b'data: {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}\n\n',
    )
    with pytest.raises(InternalServerError) as info:
        open_chat(client)
    assert info.value.status == 503
    assert info.value.message == "Loading model"


# --- C33: errors in the middle of a stream -----------------------------------------------------


def test_c33_error_payload_mid_stream_keeps_what_was_received(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("Hel") + b"\n\n",
        b"data: " + piece("lo") + b"\n\n",
        b'data: {"error":{"message":"Upstream provider failed","code":502}}\n\n',
        b"data: " + piece("never") + b"\n\n",
    )
    stream = open_chat(client)
    received: List[Optional[str]] = []
    with pytest.raises(InternalServerError, match="Upstream provider failed") as info:
        for chunk in stream:
            received.append(chunk.choices[0].delta.content)
    assert info.value.status == 502
    assert received == ["Hel", "lo"]
    assert text_of(stream) == "Hello"
    assert_closed(stream, raw)
    assert raw.unread == 1
    assert list(stream) == []  # the stream is over after the error


def test_c33_finish_reason_error_raises_with_content_kept(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"data: " + piece("Part") + b"\n\n",
        b"data: " + piece("ial", "error") + b"\n\n",
        DONE,
    )
    stream = open_chat(client)
    with pytest.raises(APIError, match="finish_reason 'error'"):
        stream.final_completion()
    assert text_of(stream) == "Partial"
    assert_closed(stream, raw)


def test_c33_plain_string_error_mid_stream(server: responses.RequestsMock, client: Client) -> None:
    raw = serve(
        server,
        b"data: " + piece("a") + b"\n\n",
        b'data: {"error":"model \'qwen\' is overloaded, try again later"}\n\n',
        b"data: " + piece("never") + b"\n\n",
    )
    stream = open_chat(client)
    with pytest.raises(APIError, match="overloaded") as info:
        list(stream)
    assert not isinstance(info.value, APIStatusError)
    assert text_of(stream) == "a"
    assert_closed(stream, raw)


RESPONSE_CREATED = (
    b'{"type":"response.created","sequence_number":0,"response":{"id":"resp_1",'
    b'"object":"response","created_at":1700000000,"status":"in_progress","model":"m",'
    b'"output":[]}}'
)
TEXT_DELTA = (
    b'{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1",'
    b'"output_index":0,"content_index":0,"delta":"Hi"}'
)


@pytest.mark.parametrize("event_line", [b"event: error\n", b""], ids=["named", "unnamed"])
def test_c33_responses_error_event_raises(
    server: responses.RequestsMock, client: Client, event_line: bytes
) -> None:
    raw = serve(
        server,
        b"event: response.created\ndata: " + RESPONSE_CREATED + b"\n\n",
        b"event: response.output_text.delta\ndata: " + TEXT_DELTA + b"\n\n",
        event_line + b'data: {"type":"error","code":"server_error",'
        b'"message":"The model crashed","param":null,"sequence_number":2}\n\n',
        AssertionError("read past the error"),
        url=RESPONSES_URL,
    )
    stream = open_responses(client)
    seen = []
    with pytest.raises(APIError) as info:
        for event in stream:
            seen.append(event)
    assert info.value.message == "The model crashed"
    assert info.value.code == "server_error"
    assert [type(e) for e in seen] == [ResponseCreatedEvent, ResponseTextDeltaEvent]
    assert stream.output_text == "Hi"
    assert stream.last_sequence_number == 1
    assert_closed(stream, raw)


# --- closing -----------------------------------------------------------------------------------


def long_stream(server: responses.RequestsMock, count: int = 50) -> Body:
    return serve(server, *[b"data: " + piece(str(i)) + b"\n\n" for i in range(count)], DONE)


def test_stream_closes_its_response_on_exhaustion(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = long_stream(server, 3)
    stream = open_chat(client)
    assert contents(stream) == ["0", "1", "2"]
    assert_closed(stream, raw)


def test_break_inside_with_closes_without_draining(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = long_stream(server)
    with open_chat(client) as stream:
        for chunk in stream:
            if chunk.choices[0].delta.content == "2":
                break
        assert not raw.closed
    assert_closed(stream, raw)
    assert raw.reads == 3
    assert raw.unread == 48
    assert text_of(stream) == "012"


def test_break_without_with_closes_when_the_stream_is_collected(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = long_stream(server)
    stream = open_chat(client)
    response = stream.response
    for _ in stream:
        break
    del stream
    gc.collect()
    assert raw.closed
    assert response.raw.closed
    assert raw.unread == 50


def test_close_closes_without_draining_and_is_idempotent(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = long_stream(server)
    stream = open_chat(client)
    assert next(stream).choices[0].delta.content == "0"
    stream.close()
    stream.close()
    assert_closed(stream, raw)
    assert raw.reads == 1
    assert list(stream) == []
    assert text_of(stream) == "0"


def test_close_before_iterating(server: responses.RequestsMock, client: Client) -> None:
    raw = long_stream(server)
    stream = open_chat(client)
    stream.close()
    assert_closed(stream, raw)
    assert list(stream) == []


def test_error_inside_the_with_block_closes_the_response(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = long_stream(server)
    with pytest.raises(ZeroDivisionError), open_chat(client) as stream:
        next(stream)
        1 / 0  # noqa: B018
    assert_closed(stream, raw)
    assert raw.unread == 50


def test_connection_error_mid_stream_is_translated_and_closes(
    server: responses.RequestsMock, client: Client
) -> None:
    from openai_core import APIConnectionError

    raw = serve(server, b"data: " + piece("a") + b"\n\n", ConnectionResetError("peer reset"))
    stream = open_chat(client)
    with pytest.raises(APIConnectionError):
        list(stream)
    assert_closed(stream, raw)
    assert text_of(stream) == "a"


def test_responses_stream_closes_on_exhaustion_and_on_break(
    server: responses.RequestsMock, client: Client
) -> None:
    raw = serve(
        server,
        b"event: response.created\ndata: " + RESPONSE_CREATED + b"\n\n",
        b"event: response.output_text.delta\ndata: " + TEXT_DELTA + b"\n\n",
        b"event: response.output_text.delta\ndata: " + TEXT_DELTA + b"\n\n",
        url=RESPONSES_URL,
    )
    with open_responses(client) as stream:
        for event in stream:
            if isinstance(event, ResponseTextDeltaEvent):
                break
    assert_closed(stream, raw)
    assert raw.unread == 1


def test_undecodable_chunk_in_strict_mode_raises_and_closes(server: responses.RequestsMock) -> None:
    from openai_core import APIResponseValidationError

    raw = serve(
        server,
        b"data: " + piece("a") + b"\n\n",
        b'data: {"id":"x","object":"chat.completion.chunk","created":"soon","model":"m",'
        b'"choices":[]}\n\n',
        b"data: " + piece("never") + b"\n\n",
    )
    with Client(base_url=BASE_URL, api_key="k", max_retries=0, strict=True) as strict_client:
        stream = open_chat(strict_client)
        with pytest.raises(APIResponseValidationError, match="created"):
            list(stream)
    assert_closed(stream, raw)
    assert raw.unread == 1
