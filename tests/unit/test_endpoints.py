"""Every endpoint of the foundation through ``responses``: method, path, query and body sent, and
the typed result. Also the tool-definition default (C37) and the package's ``__all__``.
"""

from __future__ import annotations

import base64
import json
import struct
import types
from typing import Any, Dict, Iterator, List, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

import openai_core
from openai_core import (
    APIResponseValidationError,
    ChatCompletionStream,
    Client,
    CursorPage,
    ResponseStream,
    Stream,
)
from openai_core.types.chat import (
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionDeleted,
    ChatCompletionStoreMessage,
)
from openai_core.types.completions import Completion
from openai_core.types.embeddings import CreateEmbeddingResponse, Embedding
from openai_core.types.models import Model, ModelDeleted
from openai_core.types.responses import (
    InputTokenCount,
    Response,
    ResponseCompletedEvent,
    ResponseContentPartAddedEvent,
    ResponseContentPartDoneEvent,
    ResponseCreatedEvent,
    ResponseFunctionToolCallItem,
    ResponseFunctionToolCallOutputItem,
    ResponseInProgressEvent,
    ResponseInputMessageItem,
    ResponseInputText,
    ResponseOutputItemAddedEvent,
    ResponseOutputItemDoneEvent,
    ResponseOutputMessage,
    ResponseOutputText,
    ResponseTextDeltaEvent,
    ResponseTextDoneEvent,
    UnknownResponseOutputItem,
    UnknownResponseStreamEvent,
)

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, timeout=5) as c:
        yield c


def url(path: str) -> str:
    return f"{BASE_URL}/{path}"


def sent(
    server: responses.RequestsMock, index: int = -1
) -> Tuple[str, str, List[Tuple[str, str]], Any]:
    """``(method, path, query pairs, JSON body or None)`` of a recorded request."""
    request = server.calls[index].request
    parts = urlsplit(request.url)
    body = request.body
    if isinstance(body, bytes):
        body = body.decode()
    return (
        request.method,
        parts.path,
        parse_qsl(parts.query, keep_blank_values=True),
        json.loads(body) if body else None,
    )


def header(server: responses.RequestsMock, name: str, index: int = -1) -> Optional[str]:
    value = server.calls[index].request.headers.get(name)
    return value if value is None else str(value)


def sse(*events: Any, named: bool = False, done: bool = False) -> bytes:
    out = b""
    for event in events:
        if named:
            out += b"event: " + event["type"].encode() + b"\n"
        out += b"data: " + json.dumps(event, separators=(",", ":")).encode() + b"\n\n"
    return out + (b"data: [DONE]\n\n" if done else b"")


def serve_sse(server: responses.RequestsMock, method: str, path: str, body: bytes) -> None:
    server.add(method, url(path), body=body, content_type="text/event-stream")


COMPLETION: Dict[str, Any] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "gpt-test",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Ahoy!", "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2, "total_tokens": 11},
}


def response_object(status: str = "completed", text: Optional[str] = "Hello") -> Dict[str, Any]:
    output = []
    if text is not None:
        output.append(
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": text, "annotations": []}],
            }
        )
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 1700000000,
        "status": status,
        "model": "gpt-test",
        "output": output,
        "tools": [],
        "usage": {"input_tokens": 5, "output_tokens": 1, "total_tokens": 6},
    }


# --- chat completions ----------------------------------------------------------------------------


def test_chat_create_send(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("chat/completions"), json=COMPLETION)
    completion = (
        client.chat()
        .completions()
        .create()
        .model("gpt-test")
        .message_system("Talk like a pirate.")
        .message_user("Hi")
        .temperature(0.2)
        .max_completion_tokens(16)
        .stop(None)
        .send()
    )
    assert sent(server) == (
        "POST",
        "/v1/chat/completions",
        [],
        {
            "model": "gpt-test",
            "messages": [
                {"role": "system", "content": "Talk like a pirate."},
                {"role": "user", "content": "Hi"},
            ],
            "temperature": 0.2,
            "max_completion_tokens": 16,
            "stop": None,
        },
    )
    assert header(server, "Content-Type") == "application/json"
    assert header(server, "Authorization") == "Bearer sk-test"
    assert isinstance(completion, ChatCompletion)
    assert completion.choices[0].message.content == "Ahoy!"
    assert completion.usage is not None and completion.usage.total_tokens == 11


def test_chat_create_stream(server: responses.RequestsMock, client: Client) -> None:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-test"}
    serve_sse(
        server,
        responses.POST,
        "chat/completions",
        sse(
            {**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Ah"}}]},
            {
                **chunk,
                "choices": [{"index": 0, "delta": {"content": "oy"}, "finish_reason": "stop"}],
            },
            done=True,
        ),
    )
    stream = client.chat().completions().create().model("gpt-test").message_user("Hi").stream()
    assert isinstance(stream, ChatCompletionStream)
    with stream:
        chunks = list(stream)
    assert all(isinstance(c, ChatCompletionChunk) for c in chunks)
    assert stream.final_completion().choices[0].message.content == "Ahoy"
    assert sent(server) == (
        "POST",
        "/v1/chat/completions",
        [],
        {"model": "gpt-test", "messages": [{"role": "user", "content": "Hi"}], "stream": True},
    )
    assert header(server, "Accept") == "text/event-stream"
    assert header(server, "Cache-Control") == "no-cache"


def test_chat_retrieve(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.GET, url("chat/completions/chatcmpl-1"), json=COMPLETION)
    completion = client.chat().completions().retrieve("chatcmpl-1").send()
    assert sent(server) == ("GET", "/v1/chat/completions/chatcmpl-1", [], None)
    assert header(server, "Content-Type") is None
    assert isinstance(completion, ChatCompletion) and completion.id == "chatcmpl-1"


def test_chat_update(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("chat/completions/chatcmpl-1"), json=COMPLETION)
    completion = (
        client.chat().completions().update("chatcmpl-1").metadata({"topic": "pirates"}).send()
    )
    assert sent(server) == (
        "POST",
        "/v1/chat/completions/chatcmpl-1",
        [],
        {"metadata": {"topic": "pirates"}},
    )
    assert isinstance(completion, ChatCompletion)


def test_chat_list_and_next_page(server: responses.RequestsMock, client: Client) -> None:
    second = {**COMPLETION, "id": "chatcmpl-2"}
    third = {**COMPLETION, "id": "chatcmpl-3"}
    server.add(
        responses.GET,
        url("chat/completions"),
        json={
            "object": "list",
            "data": [COMPLETION, second],
            "has_more": True,
            "first_id": "chatcmpl-1",
            "last_id": "chatcmpl-2",
        },
    )
    server.add(
        responses.GET,
        url("chat/completions"),
        json={"object": "list", "data": [third], "has_more": False},
    )
    page = (
        client.chat()
        .completions()
        .list()
        .model("gpt-test")
        .metadata({"topic": "pirates"})
        .limit(2)
        .order("asc")
        .send()
    )
    assert sent(server) == (
        "GET",
        "/v1/chat/completions",
        [("model", "gpt-test"), ("metadata[topic]", "pirates"), ("limit", "2"), ("order", "asc")],
        None,
    )
    assert isinstance(page, CursorPage)
    assert [type(c) for c in page.data] == [ChatCompletion, ChatCompletion]
    assert page.has_more is True and page.has_next_page()
    assert [c.id for c in page] == ["chatcmpl-1", "chatcmpl-2", "chatcmpl-3"]
    method, path, query, _ = sent(server)
    assert (method, path) == ("GET", "/v1/chat/completions")
    assert ("after", "chatcmpl-2") in query and ("limit", "2") in query


def test_chat_delete(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.DELETE,
        url("chat/completions/chatcmpl-1"),
        json={"id": "chatcmpl-1", "object": "chat.completion.deleted", "deleted": True},
    )
    deleted = client.chat().completions().delete("chatcmpl-1").send()
    assert sent(server) == ("DELETE", "/v1/chat/completions/chatcmpl-1", [], None)
    assert deleted == ChatCompletionDeleted(
        id="chatcmpl-1", object="chat.completion.deleted", deleted=True
    )


def test_chat_messages_list(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.GET,
        url("chat/completions/chatcmpl-1/messages"),
        json={
            "object": "list",
            "data": [
                {
                    "id": "chatcmpl-1-0",
                    "role": "user",
                    "content": "Hi",
                    "name": None,
                    "content_parts": None,
                },
            ],
            "first_id": "chatcmpl-1-0",
            "last_id": "chatcmpl-1-0",
            "has_more": False,
        },
    )
    page = client.chat().completions().messages().list("chatcmpl-1").limit(10).order("desc").send()
    assert sent(server) == (
        "GET",
        "/v1/chat/completions/chatcmpl-1/messages",
        [("limit", "10"), ("order", "desc")],
        None,
    )
    (message,) = page.data
    assert isinstance(message, ChatCompletionStoreMessage)
    assert (message.id, message.role, message.content) == ("chatcmpl-1-0", "user", "Hi")
    assert not page.has_next_page()


def test_path_parameters_are_encoded_and_must_not_be_empty(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.GET, url("chat/completions/a%2Fb%20c"), json=COMPLETION)
    client.chat().completions().retrieve("a/b c").send()
    assert sent(server)[1] == "/v1/chat/completions/a%2Fb%20c"
    with pytest.raises(ValueError, match="completion_id"):
        client.chat().completions().retrieve("")


# --- legacy completions --------------------------------------------------------------------------


TEXT_COMPLETION = {
    "id": "cmpl-1",
    "object": "text_completion",
    "created": 1700000000,
    "model": "gpt-3.5-turbo-instruct",
    "choices": [{"text": " world", "index": 0, "finish_reason": "length", "logprobs": None}],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def test_completions_create(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("completions"), json=TEXT_COMPLETION)
    completion = (
        client.completions()
        .create()
        .model("gpt-3.5-turbo-instruct")
        .prompt("Hello")
        .max_tokens(1)
        .send()
    )
    assert sent(server) == (
        "POST",
        "/v1/completions",
        [],
        {"model": "gpt-3.5-turbo-instruct", "prompt": "Hello", "max_tokens": 1},
    )
    assert isinstance(completion, Completion)
    assert completion.choices[0].text == " world"
    assert completion.usage is not None and completion.usage.total_tokens == 2


def test_completions_stream(server: responses.RequestsMock, client: Client) -> None:
    base = {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m"}
    serve_sse(
        server,
        responses.POST,
        "completions",
        sse(
            {**base, "choices": [{"text": "Hel", "index": 0, "finish_reason": None}]},
            {**base, "choices": [{"text": "lo", "index": 0, "finish_reason": "stop"}]},
            done=True,
        ),
    )
    stream = client.completions().create().model("m").prompt(["a", "b"]).stream()
    assert isinstance(stream, Stream)
    with stream:
        events = list(stream)
    assert all(isinstance(e, Completion) for e in events)
    assert "".join(e.choices[0].text for e in events) == "Hello"
    assert sent(server) == (
        "POST",
        "/v1/completions",
        [],
        {"model": "m", "prompt": ["a", "b"], "stream": True},
    )


# --- embeddings ----------------------------------------------------------------------------------


VECTORS = [[0.5, -1.25, 3.0, 1e-3], [0.0, 2.5, -0.75, 1024.0]]


def b64(vector: List[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def embedding_response(vectors: List[Any]) -> Dict[str, Any]:
    return {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)
        ],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": 4, "total_tokens": 4},
    }


def float32(values: List[float]) -> List[float]:
    return list(struct.unpack(f"<{len(values)}f", struct.pack(f"<{len(values)}f", *values)))


def test_embeddings_ask_for_base64_and_decode_little_endian_float32(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.POST, url("embeddings"), json=embedding_response([b64(v) for v in VECTORS])
    )
    result = client.embeddings().create().model("text-embedding-3-small").input(["a", "b"]).send()
    assert sent(server) == (
        "POST",
        "/v1/embeddings",
        [],
        {"model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "base64"},
    )
    assert isinstance(result, CreateEmbeddingResponse)
    assert all(isinstance(e, Embedding) for e in result.data)
    assert [e.embedding for e in result.data] == [float32(v) for v in VECTORS]
    assert all(isinstance(x, float) for x in result.data[0].embedding)
    assert result.usage.prompt_tokens == 4


def test_embeddings_decode_is_little_endian(server: responses.RequestsMock, client: Client) -> None:
    little = base64.b64encode(bytes([0, 0, 128, 63])).decode()  # 1.0 as little-endian float32
    server.add(responses.POST, url("embeddings"), json=embedding_response([little]))
    result = client.embeddings().create().model("m").input("x").send()
    assert result.data[0].embedding == [1.0]


def test_embeddings_server_ignoring_base64_sends_floats(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, url("embeddings"), json=embedding_response(VECTORS))
    result = client.embeddings().create().model("m").input("x").send()
    assert sent(server)[3]["encoding_format"] == "base64"
    assert [e.embedding for e in result.data] == VECTORS


def test_embeddings_explicit_float_is_sent_and_not_decoded(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, url("embeddings"), json=embedding_response(VECTORS))
    result = (
        client.embeddings()
        .create()
        .model("m")
        .input("x")
        .encoding_format("float")
        .dimensions(4)
        .send()
    )
    assert sent(server)[3] == {
        "model": "m",
        "input": "x",
        "encoding_format": "float",
        "dimensions": 4,
    }
    assert [e.embedding for e in result.data] == VECTORS


def test_embeddings_explicit_base64_leaves_the_string(
    server: responses.RequestsMock, client: Client
) -> None:
    encoded = b64(VECTORS[0])
    server.add(responses.POST, url("embeddings"), json=embedding_response([encoded]))
    result = client.embeddings().create().model("m").input("x").encoding_format("base64").send()
    assert sent(server)[3]["encoding_format"] == "base64"
    assert result.data[0].embedding == encoded  # type: ignore[comparison-overlap]


def test_embeddings_invalid_base64_is_a_validation_error(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, url("embeddings"), json=embedding_response(["AAAA!"]))
    with pytest.raises(APIResponseValidationError, match="base64"):
        client.embeddings().create().model("m").input("x").send()


def test_embeddings_build_shows_the_base64_request(client: Client) -> None:
    request = client.embeddings().create().model("m").input("x").build()
    assert request.json_data == {"model": "m", "input": "x", "encoding_format": "base64"}


# --- models --------------------------------------------------------------------------------------


MODEL = {"id": "gpt-test", "object": "model", "created": 1686935002, "owned_by": "openai"}


def test_models_list(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.GET, url("models"), json={"object": "list", "data": [MODEL]})
    page = client.models().list().send()
    assert sent(server) == ("GET", "/v1/models", [], None)
    assert page.data == [
        Model(id="gpt-test", object="model", created=1686935002, owned_by="openai")
    ]
    assert not page.has_next_page()
    assert list(page) == page.data


def test_models_retrieve(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.GET, url("models/gpt-test"), json=MODEL)
    model = client.models().retrieve("gpt-test").send()
    assert sent(server) == ("GET", "/v1/models/gpt-test", [], None)
    assert isinstance(model, Model) and model.owned_by == "openai"


def test_models_delete(server: responses.RequestsMock, client: Client) -> None:
    name = "ft:gpt-4o-mini:acme:pirate:abc123"
    server.add(
        responses.DELETE,
        url("models/ft%3Agpt-4o-mini%3Aacme%3Apirate%3Aabc123"),
        json={"id": name, "object": "model", "deleted": True},
    )
    deleted = client.models().delete(name).send()
    assert sent(server) == (
        "DELETE",
        "/v1/models/ft%3Agpt-4o-mini%3Aacme%3Apirate%3Aabc123",
        [],
        None,
    )
    assert deleted == ModelDeleted(id=name, object="model", deleted=True)


# --- responses -----------------------------------------------------------------------------------


def test_responses_create(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("responses"), json=response_object())
    response = (
        client.responses()
        .create()
        .model("gpt-test")
        .input_text("Say hello")
        .instructions("Be brief.")
        .max_output_tokens(20)
        .store(False)
        .send()
    )
    assert sent(server) == (
        "POST",
        "/v1/responses",
        [],
        {
            "model": "gpt-test",
            "input": "Say hello",
            "instructions": "Be brief.",
            "max_output_tokens": 20,
            "store": False,
        },
    )
    assert isinstance(response, Response)
    assert response.output_text == "Hello"
    assert isinstance(response.output[0], ResponseOutputMessage)
    assert isinstance(response.output[0].content[0], ResponseOutputText)
    assert response.usage is not None and response.usage.total_tokens == 6


def test_response_output_text_joins_message_text_and_skips_unknown_items_and_parts() -> None:
    message = response_object()["output"][0]
    data = response_object()
    data["output"] = [
        {"type": "reasoning", "id": "rs_1", "summary": []},
        {"type": "brand_new_item", "id": "x_1", "content": [{"type": "output_text", "text": "?"}]},
        {
            **message,
            "content": [
                {"type": "output_text", "text": "Hel", "annotations": []},
                {"type": "brand_new_part", "text": "?"},
                {"type": "refusal", "refusal": "?"},
                {"type": "output_text", "text": "lo", "annotations": []},
            ],
        },
        {**message, "id": "msg_2", "content": [{"type": "output_text", "text": "!"}]},
        {**message, "id": "msg_3", "content": "not a list"},
    ]
    response = Response.from_dict(data)
    assert isinstance(response.output[1], UnknownResponseOutputItem)
    assert type(response.output[2].content[1]).__name__.startswith("Unknown")
    assert response.output_text == "Hello!"


def test_responses_create_with_items(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("responses"), json=response_object())
    (
        client.responses()
        .create()
        .model("m")
        .input_text("What is the weather?")
        .input_item({"type": "function_call", "call_id": "c1", "name": "w", "arguments": "{}"})
        .function_call_output("c1", "sunny")
        .send()
    )
    assert sent(server)[3]["input"] == [
        {"role": "user", "content": "What is the weather?"},
        {"type": "function_call", "call_id": "c1", "name": "w", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1", "output": "sunny"},
    ]


def stream_events() -> List[Dict[str, Any]]:
    item = {
        "type": "message",
        "id": "msg_1",
        "role": "assistant",
        "status": "in_progress",
        "content": [],
    }
    part = {"type": "output_text", "text": "", "annotations": []}
    ids = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    done_item = response_object()["output"][0]
    return [
        {
            "type": "response.created",
            "sequence_number": 0,
            "response": response_object("in_progress", None),
        },
        {
            "type": "response.in_progress",
            "sequence_number": 1,
            "response": response_object("in_progress", None),
        },
        {
            "type": "response.output_item.added",
            "sequence_number": 2,
            "output_index": 0,
            "item": item,
        },
        {"type": "response.content_part.added", "sequence_number": 3, **ids, "part": part},
        {"type": "response.output_text.delta", "sequence_number": 4, **ids, "delta": "Hel"},
        {"type": "response.output_text.delta", "sequence_number": 5, **ids, "delta": "lo"},
        {"type": "response.brand_new.event", "sequence_number": 6, "payload": {"x": 1}},
        {"type": "response.output_text.done", "sequence_number": 7, **ids, "text": "Hello"},
        {
            "type": "response.content_part.done",
            "sequence_number": 8,
            **ids,
            "part": {**part, "text": "Hello"},
        },
        {
            "type": "response.output_item.done",
            "sequence_number": 9,
            "output_index": 0,
            "item": done_item,
        },
        {"type": "response.completed", "sequence_number": 10, "response": response_object()},
    ]


def test_responses_stream(server: responses.RequestsMock, client: Client) -> None:
    serve_sse(server, responses.POST, "responses", sse(*stream_events(), named=True))
    stream = client.responses().create().model("gpt-test").input_text("Say hello").stream()
    assert isinstance(stream, ResponseStream)
    with stream:
        events = list(stream)
        final = stream.final_response()
    assert [type(e) for e in events] == [
        ResponseCreatedEvent,
        ResponseInProgressEvent,
        ResponseOutputItemAddedEvent,
        ResponseContentPartAddedEvent,
        ResponseTextDeltaEvent,
        ResponseTextDeltaEvent,
        UnknownResponseStreamEvent,
        ResponseTextDoneEvent,
        ResponseContentPartDoneEvent,
        ResponseOutputItemDoneEvent,
        ResponseCompletedEvent,
    ]
    unknown = events[6]
    assert isinstance(unknown, UnknownResponseStreamEvent)
    assert unknown.type == "response.brand_new.event"
    # An unknown variant declares only its tag: the rest, sequence number included, is in extra.
    assert unknown.extra == {"sequence_number": 6, "payload": {"x": 1}}
    assert [
        e.extra["sequence_number"] if e is unknown else e.sequence_number for e in events
    ] == list(range(11))
    assert stream.output_text == "Hello"
    assert stream.last_sequence_number == 10
    assert isinstance(final, Response)
    assert final.status == "completed" and final.output_text == "Hello"
    assert sent(server) == (
        "POST",
        "/v1/responses",
        [],
        {"model": "gpt-test", "input": "Say hello", "stream": True},
    )
    assert header(server, "Accept") == "text/event-stream"


def test_responses_stream_without_completed_event_rebuilds_the_response(
    server: responses.RequestsMock, client: Client
) -> None:
    events = [e for e in stream_events() if e["type"] != "response.completed"]
    serve_sse(server, responses.POST, "responses", sse(*events))  # unnamed events, no [DONE]
    with client.responses().create().model("m").input_text("x").stream() as stream:
        final = stream.final_response()
    assert final.id == "resp_1"
    assert final.output_text == "Hello"


def test_responses_stream_without_any_response_event_is_an_error(
    server: responses.RequestsMock, client: Client
) -> None:
    events = [e for e in stream_events() if "response" not in e]
    serve_sse(server, responses.POST, "responses", sse(*events))
    with (
        client.responses().create().model("m").input_text("x").stream() as stream,
        pytest.raises(APIResponseValidationError),
    ):
        stream.final_response()


def test_responses_retrieve(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.GET, url("responses/resp_1"), json=response_object())
    response = (
        client.responses()
        .retrieve("resp_1")
        .include(["message.output_text.logprobs", "reasoning.encrypted_content"])
        .send()
    )
    assert sent(server) == (
        "GET",
        "/v1/responses/resp_1",
        [
            ("include[]", "message.output_text.logprobs"),
            ("include[]", "reasoning.encrypted_content"),
        ],
        None,
    )
    assert isinstance(response, Response) and response.output_text == "Hello"


def test_responses_retrieve_stream_resumes_after_a_sequence_number(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_sse(server, responses.GET, "responses/resp_1", sse(*stream_events()[6:], named=True))
    with client.responses().retrieve("resp_1").stream(starting_after=5) as stream:
        final = stream.final_response()
        assert stream.last_sequence_number == 10
    assert sent(server) == (
        "GET",
        "/v1/responses/resp_1",
        [("stream", "true"), ("starting_after", "5")],
        None,
    )
    assert header(server, "Accept") == "text/event-stream"
    assert final.output_text == "Hello"


def test_responses_retrieve_stream_from_the_start(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_sse(server, responses.GET, "responses/resp_1", sse(*stream_events(), named=True))
    with client.responses().retrieve("resp_1").stream() as stream:
        assert stream.final_response().output_text == "Hello"
    assert sent(server)[2] == [("stream", "true")]


def test_responses_delete_returns_none(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.DELETE,
        url("responses/resp_1"),
        json={"id": "resp_1", "object": "response.deleted", "deleted": True},
    )
    assert client.responses().delete("resp_1").send() is None
    assert sent(server) == ("DELETE", "/v1/responses/resp_1", [], None)


def test_responses_delete_with_empty_body(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.DELETE, url("responses/resp_1"), body=b"", status=200)
    assert client.responses().delete("resp_1").send() is None


def test_responses_cancel(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.POST, url("responses/resp_1/cancel"), json=response_object("cancelled", None)
    )
    response = client.responses().cancel("resp_1").send()
    method, path, query, body = sent(server)
    assert (method, path, query) == ("POST", "/v1/responses/resp_1/cancel", [])
    assert body in (None, {})
    assert isinstance(response, Response) and response.status == "cancelled"
    assert response.output_text == ""


INPUT_ITEMS = [
    {
        "type": "message",
        "id": "msg_0",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": "Weather?"}],
    },
    {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "weather",
        "arguments": "{}",
        "status": "completed",
    },
    {"type": "function_call_output", "id": "fco_1", "call_id": "call_1", "output": "sunny"},
    {"type": "brand_new_call", "id": "bn_1", "status": "completed", "action": {"query": "x"}},
]


def test_responses_input_items_list_is_typed_and_paginated(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(
        responses.GET,
        url("responses/resp_1/input_items"),
        json={
            "object": "list",
            "data": INPUT_ITEMS[:2],
            "first_id": "msg_0",
            "last_id": "fc_1",
            "has_more": True,
        },
    )
    server.add(
        responses.GET,
        url("responses/resp_1/input_items"),
        json={
            "object": "list",
            "data": INPUT_ITEMS[2:],
            "first_id": "fco_1",
            "last_id": "bn_1",
            "has_more": False,
        },
    )
    page = (
        client.responses()
        .input_items()
        .list("resp_1")
        .limit(2)
        .order("asc")
        .include(["file_search_call.results"])
        .send()
    )
    assert sent(server) == (
        "GET",
        "/v1/responses/resp_1/input_items",
        [("limit", "2"), ("order", "asc"), ("include[]", "file_search_call.results")],
        None,
    )
    assert page.has_next_page()
    following = page.next_page()
    method, path, query, _ = sent(server)
    assert (method, path) == ("GET", "/v1/responses/resp_1/input_items")
    assert ("after", "fc_1") in query
    items = page.data + following.data
    assert [type(i) for i in items[:3]] == [
        ResponseInputMessageItem,
        ResponseFunctionToolCallItem,
        ResponseFunctionToolCallOutputItem,
    ]
    message = items[0]
    assert isinstance(message, ResponseInputMessageItem)
    assert isinstance(message.content[0], ResponseInputText)
    assert message.content[0].text == "Weather?"
    # The spec's item union is not tagged (two "message" members), so an item of a type it does
    # not define has no Unknown variant: it decodes into a member, keeping its type and fields.
    unknown = items[3]
    assert unknown.type == "brand_new_call" and unknown.extra["action"] == {"query": "x"}
    kept = unknown.to_dict()
    assert {key: kept.get(key) for key in INPUT_ITEMS[3]} == INPUT_ITEMS[3]
    assert not following.has_next_page()


def test_responses_input_tokens_count(server: responses.RequestsMock, client: Client) -> None:
    server.add(
        responses.POST,
        url("responses/input_tokens"),
        json={"object": "response.input_tokens", "input_tokens": 7},
    )
    count = (
        client.responses().input_tokens().count().model("gpt-test").input_text("Hello there").send()
    )
    assert sent(server) == (
        "POST",
        "/v1/responses/input_tokens",
        [],
        {"model": "gpt-test", "input": "Hello there"},
    )
    assert count == InputTokenCount(object="response.input_tokens", input_tokens=7)


# --- C37: tools carry "type": "function" ---------------------------------------------------------


WEATHER = {"function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}}


def test_c37_chat_tools_get_type_function(server: responses.RequestsMock, client: Client) -> None:
    server.add(responses.POST, url("chat/completions"), json=COMPLETION)
    (
        client.chat()
        .completions()
        .create()
        .model("m")
        .message_user("hi")
        .tools([WEATHER])
        .tool({"function": {"name": "get_time"}})
        .tool({"type": "custom", "custom": {"name": "grammar"}})
        .send()
    )
    assert sent(server)[3]["tools"] == [
        {"type": "function", **WEATHER},
        {"type": "function", "function": {"name": "get_time"}},
        {"type": "custom", "custom": {"name": "grammar"}},
    ]


def test_c37_responses_tools_get_type_function(
    server: responses.RequestsMock, client: Client
) -> None:
    server.add(responses.POST, url("responses"), json=response_object())
    (
        client.responses()
        .create()
        .model("m")
        .input_text("hi")
        .tool({"name": "get_weather", "parameters": {"type": "object"}})
        .tool({"type": "web_search"})
        .send()
    )
    assert sent(server)[3]["tools"] == [
        {"type": "function", "name": "get_weather", "parameters": {"type": "object"}},
        {"type": "web_search"},
    ]


def test_c37_tool_must_be_a_mapping(client: Client) -> None:
    with pytest.raises(TypeError, match="mapping"):
        client.chat().completions().create().tool(["get_weather"])  # type: ignore[arg-type]


# --- the package surface -------------------------------------------------------------------------


def test_all_is_sorted_and_unique() -> None:
    assert openai_core.__all__ == sorted(openai_core.__all__)
    assert len(set(openai_core.__all__)) == len(openai_core.__all__)


def test_all_matches_the_public_names() -> None:
    public = {
        name
        for name, value in vars(openai_core).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    lazy = set(openai_core._LAZY)  # exported, loaded on first access
    assert sorted(public | lazy | {"__version__"}) == sorted(openai_core.__all__)
    for name in openai_core.__all__:
        assert getattr(openai_core, name) is not None
