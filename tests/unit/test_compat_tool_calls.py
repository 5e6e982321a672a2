"""Compatibility cases C20–C27: tool calls in chat streams, through ``final_completion()``."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

import pytest
import responses

from openai_core import Client
from openai_core.types.chat import (
    ChatCompletion,
    ChatCompletionMessage,
    ChatCompletionMessageToolCall,
)

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, timeout=5) as c:
        yield c


def chunk(
    *calls: Dict[str, Any], finish_reason: Optional[str] = None, **delta: Any
) -> Dict[str, Any]:
    if calls:
        delta["tool_calls"] = list(calls)
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def fn(name: Optional[str] = None, arguments: Any = None, **call: Any) -> Dict[str, Any]:
    """A tool-call delta; only the keys given are sent."""
    function: Dict[str, Any] = {}
    if name is not None:
        function["name"] = name
    if arguments is not None:
        function["arguments"] = arguments
    if function:
        call["function"] = function
    return call


def final(
    server: responses.RequestsMock, client: Client, *chunks: Dict[str, Any]
) -> ChatCompletion:
    body = (
        b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks) + b"data: [DONE]\n\n"
    )
    server.add(responses.POST, CHAT_URL, body=body, content_type="text/event-stream")
    with client.chat().completions().create().model("m").message_user("hi").stream() as stream:
        return stream.final_completion()


def calls_of(completion: ChatCompletion) -> List[ChatCompletionMessageToolCall]:
    calls = completion.choices[0].message.tool_calls
    assert calls is not None
    assert all(isinstance(c, ChatCompletionMessageToolCall) for c in calls)
    return calls


def summary(completion: ChatCompletion) -> List[Any]:
    return [(c.id, c.function.name, json.loads(c.function.arguments)) for c in calls_of(completion)]


# --- baseline: OpenAI's own shape --------------------------------------------------------------


def test_parallel_calls_interleaved_by_index(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("get_weather", "", index=0, id="call_a", type="function"), role="assistant"),
        chunk(fn("get_time", "", index=1, id="call_b", type="function")),
        chunk(fn(arguments='{"city":', index=0)),
        chunk(fn(arguments='{"tz":"UTC"}', index=1)),
        chunk(fn(arguments='"Paris"}', index=0)),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [
        ("call_a", "get_weather", {"city": "Paris"}),
        ("call_b", "get_time", {"tz": "UTC"}),
    ]
    assert [c.type for c in calls_of(completion)] == ["function", "function"]
    assert completion.choices[0].finish_reason == "tool_calls"
    assert completion.choices[0].message.content is None


# --- C20: no index ------------------------------------------------------------------------------


def test_c20_calls_without_index_in_one_chunk(
    server: responses.RequestsMock, client: Client
) -> None:
    # Ollama: every call whole, with an id, no index.
    completion = final(
        server,
        client,
        chunk(
            fn("get_weather", '{"city":"Paris"}', id="call_1"),
            fn("get_weather", '{"city":"Rome"}', id="call_2"),
            role="assistant",
            content="",
        ),
        chunk(finish_reason="stop"),
    )
    assert summary(completion) == [
        ("call_1", "get_weather", {"city": "Paris"}),
        ("call_2", "get_weather", {"city": "Rome"}),
    ]
    assert completion.choices[0].finish_reason == "tool_calls"


def test_c20_null_index_each_call_in_its_own_chunk(
    server: responses.RequestsMock, client: Client
) -> None:
    # Gemini: "index": null, one call per chunk.
    completion = final(
        server,
        client,
        chunk(fn("a", '{"x":1}', index=None, id="call_a", type="function"), role="assistant"),
        chunk(fn("b", '{"y":2}', index=None, id="call_b", type="function")),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_a", "a", {"x": 1}), ("call_b", "b", {"y": 2})]


def test_c20_null_index_fragments_continue_the_call(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("search", '{"q":', index=None, id="call_s"), role="assistant"),
        chunk(fn(arguments='"cats",', index=None)),
        chunk(fn(arguments='"n":3}')),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_s", "search", {"q": "cats", "n": 3})]


def test_c20_fragments_without_index_follow_the_latest_call(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("a", '{"x":', id="call_a"), role="assistant"),
        chunk(fn(arguments="1}")),
        chunk(fn("b", '{"y":', id="call_b")),
        chunk(fn(arguments="2}")),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_a", "a", {"x": 1}), ("call_b", "b", {"y": 2})]


def test_c20_calls_without_index_or_id_in_one_chunk(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("a", {"x": 1}), fn("b", {"y": 2}), role="assistant"),
        chunk(finish_reason="stop"),
    )
    calls = calls_of(completion)
    assert [(c.function.name, json.loads(c.function.arguments)) for c in calls] == [
        ("a", {"x": 1}),
        ("b", {"y": 2}),
    ]
    assert calls[0].id and calls[1].id and calls[0].id != calls[1].id


# --- C21: a new call on index 0 ------------------------------------------------------------------


def test_c21_second_call_on_index_zero_with_new_id(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("a", '{"x":', index=0, id="call_a", type="function"), role="assistant"),
        chunk(fn(arguments="1}", index=0)),
        chunk(fn("b", '{"y":', index=0, id="call_b", type="function")),
        chunk(fn(arguments="2}", index=0)),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_a", "a", {"x": 1}), ("call_b", "b", {"y": 2})]


def test_c21_repeating_the_same_id_continues_the_call(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("a", '{"x":', index=0, id="call_a"), role="assistant"),
        chunk(fn(arguments="1}", index=0, id="call_a")),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_a", "a", {"x": 1})]


# --- C22: index without id -----------------------------------------------------------------------


def test_c22_index_without_id_gets_a_stable_synthetic_id(
    server: responses.RequestsMock, client: Client
) -> None:
    chunks = [
        chunk(fn("a", '{"x":', index=0), role="assistant"),
        chunk(fn("b", "{}", index=1)),
        chunk(fn(arguments="1}", index=0)),
        chunk(finish_reason="tool_calls"),
    ]
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    server.add(responses.POST, CHAT_URL, body=body, content_type="text/event-stream")
    with client.chat().completions().create().model("m").message_user("hi").stream() as stream:
        next(stream)
        next(stream)
        early = [c.id for c in calls_of(stream.current_completion())]
        completion = stream.final_completion()
    ids = [c.id for c in calls_of(completion)]
    assert ids == early
    assert all(isinstance(i, str) and i for i in ids)
    assert ids[0] != ids[1]
    assert [c.id for c in calls_of(stream.current_completion())] == ids
    assert json.loads(calls_of(completion)[0].function.arguments) == {"x": 1}


def test_c22_same_stream_gives_the_same_synthetic_ids(
    server: responses.RequestsMock, client: Client
) -> None:
    chunks = (chunk(fn("a", "{}", index=0), role="assistant"), chunk(finish_reason="tool_calls"))
    first = final(server, client, *chunks)
    second = final(server, client, *chunks)
    assert calls_of(first)[0].id == calls_of(second)[0].id


def test_c22_late_id_replaces_the_synthetic_one(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("a", '{"x":', index=0), role="assistant"),
        chunk(fn(arguments="1}", index=0, id="call_late")),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_late", "a", {"x": 1})]


# --- C23: the whole call in one chunk ------------------------------------------------------------


def test_c23_whole_call_in_one_chunk(server: responses.RequestsMock, client: Client) -> None:
    completion = final(
        server,
        client,
        chunk(
            fn("get_weather", '{"city":"Paris","unit":"c"}', index=0, id="call_1", type="function"),
            role="assistant",
            finish_reason="tool_calls",
        ),
    )
    assert summary(completion) == [("call_1", "get_weather", {"city": "Paris", "unit": "c"})]
    assert completion.choices[0].finish_reason == "tool_calls"


# --- C24: no arguments ---------------------------------------------------------------------------


@pytest.mark.parametrize("arguments", [None, ""], ids=["never-sent", "empty-string"])
def test_c24_no_arguments_default_to_empty_object(
    server: responses.RequestsMock, client: Client, arguments: Optional[str]
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("get_time", arguments, index=0, id="call_t"), role="assistant"),
        chunk(finish_reason="tool_calls"),
    )
    (call,) = calls_of(completion)
    assert call.function.arguments == "{}"
    assert call.function.name == "get_time"


# --- C25: arguments as a JSON object -------------------------------------------------------------


def test_c25_arguments_as_json_object(server: responses.RequestsMock, client: Client) -> None:
    arguments = {"city": "Zürich", "days": [1, 2], "detail": {"wind": True}}
    completion = final(
        server,
        client,
        chunk(fn("forecast", arguments, id="call_f"), role="assistant"),
        chunk(finish_reason="stop"),
    )
    (call,) = calls_of(completion)
    assert isinstance(call.function.arguments, str)
    assert json.loads(call.function.arguments) == arguments
    assert "Zürich" in call.function.arguments  # not \u-escaped


# --- C26: name late or repeated ------------------------------------------------------------------


def test_c26_name_after_arguments(server: responses.RequestsMock, client: Client) -> None:
    completion = final(
        server,
        client,
        chunk(fn(arguments='{"q":', index=0, id="call_1"), role="assistant"),
        chunk(fn("search", '"x"}', index=0)),
        chunk(finish_reason="tool_calls"),
    )
    assert summary(completion) == [("call_1", "search", {"q": "x"})]


def test_c26_name_repeated_as_empty_or_again(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(fn("search", "", index=0, id="call_1", type="function"), role="assistant"),
        chunk(fn("", '{"q":', index=0, type="")),
        chunk(fn("search", '"x"}', index=0)),
        chunk(fn("", "", index=0)),
        chunk(finish_reason="tool_calls"),
    )
    (call,) = calls_of(completion)
    assert call.function.name == "search"
    assert call.type == "function"
    assert json.loads(call.function.arguments) == {"q": "x"}


# --- C27: provider metadata on a call ------------------------------------------------------------


SIGNATURE = "CiQB0e2Kb3dRh0Y0xZ9sZ2VtaW5pLXNpZ25hdHVyZQ=="


def test_c27_provider_metadata_is_preserved_and_sent_back(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(
            fn(
                "get_weather",
                '{"city":',
                id="call_g",
                type="function",
                index=0,
                extra_content={"google": {"thought_signature": SIGNATURE}},
            ),
            role="assistant",
        ),
        chunk(fn(arguments='"Paris"}', index=0)),
        chunk(fn("lookup", "{}", id="call_h", type="function", index=1)),
        chunk(finish_reason="tool_calls"),
    )
    message = completion.choices[0].message
    assert isinstance(message, ChatCompletionMessage)
    first, second = calls_of(completion)
    assert first.extra == {"extra_content": {"google": {"thought_signature": SIGNATURE}}}
    assert second.extra == {}
    history = message.to_dict()
    assert history["tool_calls"][0] == {
        "id": "call_g",
        "type": "function",
        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
        "extra_content": {"google": {"thought_signature": SIGNATURE}},
    }
    assert "extra_content" not in history["tool_calls"][1]

    request = (
        client.chat()
        .completions()
        .create()
        .model("m")
        .message_user("hi")
        .message_assistant(history.get("content"), tool_calls=history["tool_calls"])
        .message_tool("call_g", "18C")
        .build()
    )
    assert request.content is not None
    sent = json.loads(request.content)
    assert sent["messages"][1]["tool_calls"][0]["extra_content"] == {
        "google": {"thought_signature": SIGNATURE}
    }


def test_c27_function_level_metadata_is_preserved(
    server: responses.RequestsMock, client: Client
) -> None:
    completion = final(
        server,
        client,
        chunk(
            {
                "index": 0,
                "id": "call_1",
                "function": {"name": "f", "arguments": "{}", "thought_signature": "sig"},
            },
            role="assistant",
        ),
        chunk(finish_reason="tool_calls"),
    )
    (call,) = calls_of(completion)
    assert call.function.extra == {"thought_signature": "sig"}
    assert (
        completion.choices[0].message.to_dict()["tool_calls"][0]["function"]["thought_signature"]
        == "sig"
    )


def test_c25_arguments_object_in_a_non_streamed_completion_becomes_text() -> None:
    completion = ChatCompletion.from_dict(
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "tool_calls": [
                            {
                                "id": "call_1",
                                "type": "function",
                                "function": {"name": "f", "arguments": {"city": "Paris"}},
                            }
                        ],
                    },
                }
            ],
        }
    )
    call = calls_of(completion)[0]
    assert isinstance(call.function.arguments, str)
    assert json.loads(call.function.arguments) == {"city": "Paris"}
