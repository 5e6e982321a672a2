"""Compatibility cases C10–C19 (chunk and response shapes), plus strict decoding.

Streams go through ``client.chat().completions().create()...stream()`` with ``responses`` serving
``text/event-stream`` bodies; non-streamed shapes go through ``send()``.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, Iterator, List, Optional

import pytest
import responses

from openai_core import APIError, APIResponseValidationError, ChatCompletionStream, Client
from openai_core.types.chat import ChatCompletion, ChatCompletionChunk, CompletionUsage
from openai_core.types.models import Model
from openai_core.types.responses import Response

pytestmark = pytest.mark.timeout(30)

BASE_URL = "http://llm.test/v1"
CHAT_URL = f"{BASE_URL}/chat/completions"
_MISSING: Any = object()


@pytest.fixture
def server() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, timeout=5) as c:
        yield c


@pytest.fixture
def strict_client() -> Iterator[Client]:
    with Client(base_url=BASE_URL, api_key="sk-test", max_retries=0, strict=True) as c:
        yield c


def sse(*payloads: Any, done: bool = True) -> bytes:
    body = b"".join(
        b"data: " + json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"
        for p in payloads
    )
    return body + (b"data: [DONE]\n\n" if done else b"")


def serve_stream(server: responses.RequestsMock, *payloads: Any, done: bool = True) -> None:
    server.add(
        responses.POST, CHAT_URL, body=sse(*payloads, done=done), content_type="text/event-stream"
    )


def serve_json(server: responses.RequestsMock, payload: Any, url: str = CHAT_URL) -> None:
    method = responses.POST if url == CHAT_URL or url.endswith("/responses") else responses.GET
    server.add(method, url, json=payload)


def open_stream(client: Client) -> ChatCompletionStream:
    return client.chat().completions().create().model("m").message_user("hi").stream()


def send(client: Client) -> ChatCompletion:
    return client.chat().completions().create().model("m").message_user("hi").send()


def chunk(
    delta: Optional[Dict[str, Any]] = None,
    *,
    finish_reason: Any = None,
    index: int = 0,
    **top: Any,
) -> Dict[str, Any]:
    choice: Dict[str, Any] = {"index": index, "delta": delta or {}}
    if finish_reason is not _MISSING:
        choice["finish_reason"] = finish_reason
    data: Dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m",
        "choices": [choice],
    }
    data.update(top)
    return data


def usage_of(prompt: int, completion: int) -> Dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


COMPLETION: Dict[str, Any] = {
    "id": "chatcmpl-9",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "m",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello", "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {
        "prompt_tokens": 3,
        "completion_tokens": 1,
        "total_tokens": 4,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    },
    "service_tier": "default",
    "system_fingerprint": "fp_1",
}


# --- C10: empty choices ------------------------------------------------------------------------


def test_c10_usage_chunk_with_empty_choices(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(
        server,
        chunk({"role": "assistant", "content": "Hi"}),
        chunk({}, finish_reason="stop"),
        chunk(None, choices=[], usage=usage_of(5, 1)),
    )
    with open_stream(client) as stream:
        chunks = list(stream)
        assert chunks[-1].choices == []
        assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 6
        completion = stream.final_completion()
    assert completion.choices[0].message.content == "Hi"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None and completion.usage.prompt_tokens == 5


def test_c10_azure_prompt_filter_first_chunk(
    server: responses.RequestsMock, client: Client
) -> None:
    filters = [
        {
            "prompt_index": 0,
            "content_filter_results": {"hate": {"filtered": False, "severity": "safe"}},
        }
    ]
    serve_stream(
        server,
        {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": filters,
        },
        chunk(
            {"role": "assistant", "content": ""},
            id="chatcmpl-az",
            created=1711111111,
            model="gpt-4o",
        ),
        chunk({"content": "Hi"}, id="chatcmpl-az", created=1711111111, model="gpt-4o"),
        chunk({}, finish_reason="stop", id="chatcmpl-az", created=1711111111, model="gpt-4o"),
    )
    with open_stream(client) as stream:
        first = next(stream)
        assert first.choices == []
        assert (first.id, first.created, first.object, first.model) == ("", 0, "", "")
        assert first.extra["prompt_filter_results"] == filters
        completion = stream.final_completion()
    assert completion.id == "chatcmpl-az"
    assert completion.created == 1711111111
    assert completion.model == "gpt-4o"
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.content == "Hi"
    assert completion.extra["prompt_filter_results"] == filters


def test_c10_only_empty_choices_gives_an_empty_completion(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_stream(server, chunk(None, choices=[], usage=usage_of(1, 0)))
    with open_stream(client) as stream:
        completion = stream.final_completion()
    assert completion.choices == []
    assert completion.usage is not None and completion.usage.total_tokens == 1


# --- C11: choice without delta -----------------------------------------------------------------


def test_c11_content_filter_chunk_without_delta(
    server: responses.RequestsMock, client: Client
) -> None:
    results = {"hate": {"filtered": False, "severity": "safe"}}
    no_delta = chunk(None, finish_reason=None)
    del no_delta["choices"][0]["delta"]
    no_delta["choices"][0]["content_filter_results"] = results
    serve_stream(
        server,
        chunk({"role": "assistant", "content": "Hel"}),
        no_delta,
        chunk({"content": "lo"}, finish_reason="stop"),
    )
    with open_stream(client) as stream:
        chunks = list(stream)
        assert chunks[1].choices[0].delta is None
        assert chunks[1].choices[0].extra["content_filter_results"] == results
        completion = stream.final_completion()
    assert completion.choices[0].message.content == "Hello"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].finish_reason == "stop"


# --- C12: finish_reason ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("", None),
        ("null", None),
        (None, None),
        (_MISSING, None),
        ("eos", "eos"),
        ("length", "length"),
        ("stop", "stop"),
        ("content_filter", "content_filter"),
    ],
    ids=["empty", "string-null", "null", "missing", "eos", "length", "stop", "content_filter"],
)
def test_c12_finish_reason_values(
    server: responses.RequestsMock, client: Client, sent: Any, expected: Optional[str]
) -> None:
    serve_stream(server, chunk({"content": "x"}, finish_reason=""), chunk({}, finish_reason=sent))
    with open_stream(client) as stream:
        assert stream.final_completion().choices[0].finish_reason == expected


def test_c12_empty_finish_reason_does_not_overwrite_a_real_one(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_stream(
        server,
        chunk({"content": "x"}, finish_reason="length"),
        chunk({}, finish_reason=""),
        chunk(None, choices=[], usage=usage_of(1, 1)),
    )
    with open_stream(client) as stream:
        assert stream.final_completion().choices[0].finish_reason == "length"


def test_c12_finish_reason_error_raises(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(server, chunk({"content": "x"}), chunk({}, finish_reason="error"))
    with open_stream(client) as stream, pytest.raises(APIError) as info:
        stream.final_completion()
    assert info.value.code == "error"
    assert "error" in info.value.message


def test_c12_stop_after_tool_calls_is_reported_as_tool_calls(
    server: responses.RequestsMock, client: Client
) -> None:
    call = {
        "index": 0,
        "id": "call_1",
        "type": "function",
        "function": {"name": "f", "arguments": "{}"},
    }
    serve_stream(
        server, chunk({"role": "assistant", "tool_calls": [call]}), chunk({}, finish_reason="stop")
    )
    with open_stream(client) as stream:
        completion = stream.final_completion()
    assert completion.choices[0].finish_reason == "tool_calls"
    assert completion.choices[0].message.tool_calls is not None


def test_c12_extra_stop_fields_are_kept(server: responses.RequestsMock, client: Client) -> None:
    last = chunk({}, finish_reason="stop")
    last["choices"][0].update(
        {"stop_reason": "</s>", "native_finish_reason": "STOP", "matched_stop": 128009}
    )
    serve_stream(server, chunk({"content": "x"}), last)
    with open_stream(client) as stream:
        chunks = list(stream)
        completion = stream.final_completion()
    assert chunks[-1].choices[0].extra == {
        "stop_reason": "</s>",
        "native_finish_reason": "STOP",
        "matched_stop": 128009,
    }
    choice = completion.choices[0]
    assert choice.extra["native_finish_reason"] == "STOP"
    assert choice.extra["stop_reason"] == "</s>"
    assert choice.extra["matched_stop"] == 128009
    assert choice.to_dict()["native_finish_reason"] == "STOP"


# --- C13: usage --------------------------------------------------------------------------------


USAGE_FIXTURES = {
    "separate-chunk": [
        chunk({"role": "assistant", "content": "a"}),
        chunk({"content": "b"}, finish_reason="stop"),
        chunk(None, choices=[], usage=usage_of(7, 2)),
    ],
    "inside-last-content-chunk": [
        chunk({"role": "assistant", "content": "a"}),
        chunk({"content": "b"}, finish_reason="stop", usage=usage_of(7, 2)),
    ],
    "cumulative-in-every-chunk": [
        chunk({"role": "assistant", "content": "a"}, usage=usage_of(7, 1)),
        chunk({"content": "b"}, usage=usage_of(7, 2)),
        chunk({}, finish_reason="stop", usage=None),
    ],
}


@pytest.mark.parametrize("shape", sorted(USAGE_FIXTURES))
def test_c13_usage_is_exposed_after_iteration(
    server: responses.RequestsMock, client: Client, shape: str
) -> None:
    serve_stream(server, *USAGE_FIXTURES[shape])
    with open_stream(client) as stream:
        assert stream.usage is None  # nothing handed out yet
        for _ in stream:
            pass
        usage = stream.usage
        completion = stream.final_completion()
    assert isinstance(usage, CompletionUsage)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (7, 2, 9)
    assert completion.usage == usage
    assert completion.choices[0].message.content == "ab"


def test_c13_cumulative_usage_last_value_wins_while_iterating(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_stream(server, *USAGE_FIXTURES["cumulative-in-every-chunk"])
    seen = []
    with open_stream(client) as stream:
        for _ in stream:
            seen.append(stream.usage.completion_tokens)
    assert seen == [1, 2, 2]


def test_c13_usage_never_sent_is_none(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(server, chunk({"content": "a"}), chunk({}, finish_reason="stop"))
    with open_stream(client) as stream:
        completion = stream.final_completion()
        assert stream.usage is None
    assert completion.usage is None
    assert "usage" not in completion.to_dict()


# --- C14: stream_options -----------------------------------------------------------------------


def test_c14_stream_options_sent_only_when_asked(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_stream(server, chunk({"content": "a"}))
    serve_stream(server, chunk({"content": "a"}))
    base = client.chat().completions().create().model("m").message_user("hi")
    base.stream().close()
    base.stream_options({"include_usage": True}).stream().close()
    first, second = (json.loads(call.request.body) for call in server.calls)
    assert first == {"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": True}
    assert second["stream_options"] == {"include_usage": True}


# --- C15: null or missing "required" fields ----------------------------------------------------


def test_c15_chunk_fields_null_or_missing(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(
        server,
        {
            "id": None,
            "created": None,
            "choices": [{"delta": {"role": "assistant", "content": "He"}}],
        },
        {"object": None, "model": None, "choices": [{"index": None, "delta": {"content": "llo"}}]},
        {
            "choices": None,
            "usage": {
                "prompt_tokens": 1,
                "completion_tokens": 2,
                "total_tokens": 3,
                "prompt_tokens_details": None,
            },
        },
        {},
    )
    with open_stream(client) as stream:
        chunks = list(stream)
        completion = stream.final_completion()
    assert [(c.id, c.object, c.created, c.model) for c in chunks[:2]] == [
        (None, None, None, None)
    ] * 2
    assert chunks[0].choices[0].index is None
    assert chunks[2].choices == [] and chunks[3].choices == []
    assert completion.choices[0].index == 0
    assert completion.choices[0].message.content == "Hello"
    assert completion.id is None
    assert completion.usage is not None and completion.usage.prompt_tokens_details is None


def test_c15_completion_fields_null_or_missing(
    server: responses.RequestsMock, client: Client
) -> None:
    payload = {
        "id": None,
        "choices": [
            {"message": {"role": "assistant", "content": "x", "refusal": None, "tool_calls": None}}
        ],
        "usage": {
            "prompt_tokens": 1,
            "completion_tokens": 1,
            "total_tokens": 2,
            "prompt_tokens_details": None,
            "completion_tokens_details": None,
        },
    }
    serve_json(server, payload)
    completion = send(client)
    assert (completion.id, completion.object, completion.created, completion.model) == (None,) * 4
    choice = completion.choices[0]
    assert choice.index is None and choice.finish_reason is None
    assert choice.message.refusal is None and choice.message.tool_calls is None
    assert completion.usage is not None
    assert completion.usage.prompt_tokens_details is None
    assert completion.extra == {}


def test_c15_choices_missing_or_null(server: responses.RequestsMock, client: Client) -> None:
    serve_json(server, {"id": "x", "object": "chat.completion", "choices": None})
    assert send(client).choices == []


def test_c15_models_without_object(server: responses.RequestsMock, client: Client) -> None:
    serve_json(
        server,
        {"data": [{"id": "llama", "owned_by": "llamacpp"}, {"id": "qwen", "object": None}]},
        url=f"{BASE_URL}/models",
    )
    page = client.models().list().send()
    assert [type(m) for m in page.data] == [Model, Model]
    assert [(m.id, m.object, m.created) for m in page.data] == [
        ("llama", None, None),
        ("qwen", None, None),
    ]
    assert page.data[0].owned_by == "llamacpp"


def test_c15_response_without_tools(server: responses.RequestsMock, client: Client) -> None:
    serve_json(
        server,
        {
            "id": "resp_1",
            "object": "response",
            "created_at": 1,
            "model": "m",
            "output": [
                {
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "output_text", "text": "ok"}],
                }
            ],
        },
        url=f"{BASE_URL}/responses",
    )
    response = client.responses().create().model("m").input_text("hi").send()
    assert isinstance(response, Response)
    assert response.tools == []
    assert response.usage is None
    assert response.output_text == "ok"


# --- C16: unknown enum values ------------------------------------------------------------------


def test_c16_unknown_enum_values_are_kept(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(
        server,
        chunk(
            {"role": "assistant", "content": "a"},
            service_tier="on_demand",
            object="chat.completion.chunk.v2",
        ),
        chunk({}, finish_reason="eos", service_tier="on_demand"),
    )
    with open_stream(client) as stream:
        first = next(stream)
        completion = stream.final_completion()
    assert first.object == "chat.completion.chunk.v2"
    assert first.service_tier == "on_demand"
    assert completion.service_tier == "on_demand"
    assert completion.choices[0].finish_reason == "eos"


def test_c16_unknown_enum_values_in_a_completion(
    server: responses.RequestsMock, client: Client
) -> None:
    payload = copy.deepcopy(COMPLETION)
    payload.update(service_tier="standard", object="chat.completion.v9")
    payload["choices"][0].update(finish_reason="end_turn")
    payload["choices"][0]["message"]["role"] = "model"
    serve_json(server, payload)
    completion = send(client)
    assert completion.service_tier == "standard"
    assert completion.object == "chat.completion.v9"
    assert completion.choices[0].finish_reason == "end_turn"
    assert completion.choices[0].message.role == "model"


# --- C17: extra fields -------------------------------------------------------------------------


def drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


EXTRA_COMPLETION: Dict[str, Any] = {
    "id": "chatcmpl-x",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "qwen3",
    "system_fingerprint": "fp_ollama",
    "timings": {"prompt_n": 4, "predicted_per_second": 91.5},
    "provider": "DeepInfra",
    "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {}}],
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "4",
                "reasoning_content": "2+2 is 4",
                "reasoning_details": [{"type": "reasoning.text", "text": "2+2 is 4"}],
            },
            "finish_reason": "stop",
            "native_finish_reason": "STOP",
            "stop_reason": None,
            "token_ids": [19, 2],
            "content_filter_results": {"hate": {"filtered": False}},
        }
    ],
    "usage": {"prompt_tokens": 4, "completion_tokens": 1, "total_tokens": 5, "cost": 0.0001},
}


def test_c17_extra_fields_are_kept_and_round_trip(
    server: responses.RequestsMock, client: Client
) -> None:
    serve_json(server, EXTRA_COMPLETION)
    completion = send(client)
    assert completion.system_fingerprint == "fp_ollama"
    assert completion.extra["timings"] == {"prompt_n": 4, "predicted_per_second": 91.5}
    assert completion.extra["provider"] == "DeepInfra"
    assert completion.extra["prompt_filter_results"][0]["prompt_index"] == 0
    choice = completion.choices[0]
    assert choice.extra == {
        "native_finish_reason": "STOP",
        "stop_reason": None,
        "token_ids": [19, 2],
        "content_filter_results": {"hate": {"filtered": False}},
    }
    assert choice.message.extra["reasoning_content"] == "2+2 is 4"
    assert completion.usage is not None and completion.usage.extra == {"cost": 0.0001}
    # Declared fields that were null are left out; extras (even null ones) are written back.
    expected = drop_nulls(EXTRA_COMPLETION)
    expected["choices"][0]["stop_reason"] = None
    assert completion.to_dict() == expected
    assert ChatCompletion.from_dict(completion.to_dict()) == completion


def test_c17_chunk_extras_round_trip_and_survive_accumulation(
    server: responses.RequestsMock, client: Client
) -> None:
    first = chunk(
        {"role": "assistant", "content": "", "reasoning_content": "think"},
        system_fingerprint="fp_ollama",
        provider="Groq",
    )
    last = chunk(
        {"content": "done"},
        finish_reason="stop",
        timings={"predicted_n": 2},
        x_groq={"id": "req_1"},
    )
    serve_stream(server, first, last)
    with open_stream(client) as stream:
        chunks = list(stream)
        completion = stream.final_completion()
    assert [c.to_dict() for c in chunks] == [drop_nulls(first), drop_nulls(last)]
    assert chunks[0].choices[0].delta.extra == {"reasoning_content": "think"}
    assert completion.system_fingerprint == "fp_ollama"
    assert completion.extra == {
        "provider": "Groq",
        "timings": {"predicted_n": 2},
        "x_groq": {"id": "req_1"},
    }
    assert completion.choices[0].message.extra == {"reasoning_content": "think"}
    assert completion.to_dict()["x_groq"] == {"id": "req_1"}


# --- C18: content as a list of parts -----------------------------------------------------------


def test_c18_message_content_as_list_of_parts(
    server: responses.RequestsMock, client: Client
) -> None:
    parts = [
        {"type": "thinking", "thinking": "User greets."},
        {"type": "text", "text": "Hel"},
        {"type": "text", "text": "lo"},
    ]
    payload = copy.deepcopy(COMPLETION)
    payload["choices"][0]["message"]["content"] = parts
    serve_json(server, payload)
    message = send(client).choices[0].message
    assert message.content == parts  # kept as sent
    assert message.text == "Hello"
    assert message.reasoning == "User greets."
    assert message.to_dict()["content"] == parts


def test_c18_string_content_text_accessor(server: responses.RequestsMock, client: Client) -> None:
    serve_json(server, COMPLETION)
    message = send(client).choices[0].message
    assert message.text == message.content == "Hello"


def test_c18_delta_content_as_list_of_parts(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(
        server,
        chunk({"role": "assistant", "content": [{"type": "text", "text": "Hel"}]}),
        chunk(
            {"content": [{"type": "thinking", "thinking": "hmm"}, {"type": "text", "text": "lo"}]}
        ),
        chunk({"content": "!"}, finish_reason="stop"),
    )
    with open_stream(client) as stream:
        chunks = list(stream)
        completion = stream.final_completion()
    assert chunks[1].choices[0].delta.reasoning == "hmm"
    message = completion.choices[0].message
    assert message.content == "Hello!"
    assert message.text == "Hello!"


# --- C19: reasoning ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message_fields",
    [
        {"reasoning_content": "Because 2+2=4."},
        {"reasoning": "Because 2+2=4."},
        {
            "reasoning_details": [
                {"type": "reasoning.text", "text": "Because "},
                {"type": "reasoning.text", "text": "2+2=4."},
            ]
        },
        {"reasoning_details": [{"type": "reasoning.summary", "summary": "Because 2+2=4."}]},
        {"content": "<think>\nBecause 2+2=4.\n</think>\n\n4"},
    ],
    ids=[
        "reasoning_content",
        "reasoning",
        "reasoning_details",
        "reasoning_details-summary",
        "think-tag",
    ],
)
def test_c19_one_reasoning_accessor(
    server: responses.RequestsMock, client: Client, message_fields: Dict[str, Any]
) -> None:
    payload = copy.deepcopy(COMPLETION)
    payload["choices"][0]["message"] = {"role": "assistant", "content": "4", **message_fields}
    serve_json(server, payload)
    assert send(client).choices[0].message.reasoning == "Because 2+2=4."


def test_c19_no_reasoning_is_none(server: responses.RequestsMock, client: Client) -> None:
    serve_json(server, COMPLETION)
    assert send(client).choices[0].message.reasoning is None


def reasoning_stream(field: str) -> List[Dict[str, Any]]:
    if field == "reasoning_details":
        fragments: List[Any] = [
            [{"type": "reasoning.text", "text": "Because ", "index": 0}],
            [{"type": "reasoning.text", "text": "2+2=4.", "index": 0}],
        ]
    else:
        fragments = ["Because ", "2+2=4."]
    return [
        chunk({"role": "assistant", "content": "", field: fragments[0]}),
        chunk({field: fragments[1]}),
        chunk({"content": "4"}, finish_reason="stop"),
    ]


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning", "reasoning_details"])
def test_c19_streamed_reasoning_accumulates(
    server: responses.RequestsMock, client: Client, field: str
) -> None:
    serve_stream(server, *reasoning_stream(field))
    with open_stream(client) as stream:
        deltas = [c.choices[0].delta.reasoning for c in stream]
        message = stream.final_completion().choices[0].message
    assert deltas == ["Because ", "2+2=4.", None]
    assert message.reasoning == "Because 2+2=4."
    assert message.content == "4"


def test_c19_streamed_think_tags(server: responses.RequestsMock, client: Client) -> None:
    serve_stream(
        server,
        chunk({"role": "assistant", "content": "<think>"}),
        chunk({"content": "Because 2+2"}),
        chunk({"content": "=4.</think>"}),
        chunk({"content": "4"}, finish_reason="stop"),
    )
    with open_stream(client) as stream:
        message = stream.final_completion().choices[0].message
    assert message.reasoning == "Because 2+2=4."
    assert message.content == "<think>Because 2+2=4.</think>4"


# --- strict decoding ---------------------------------------------------------------------------


def test_strict_mode_accepts_a_complete_response(
    server: responses.RequestsMock, strict_client: Client
) -> None:
    serve_json(server, COMPLETION)
    completion = send(strict_client)
    assert completion.choices[0].message.content == "Hello"
    assert completion.usage is not None
    assert completion.usage.completion_tokens_details is not None


@pytest.mark.parametrize(
    ("mutate", "path", "problem"),
    [
        (
            lambda d: d["choices"][0]["message"].pop("role"),
            "CreateChatCompletionResponse.choices[0].message.role",
            "missing",
        ),
        (lambda d: d.pop("model"), "CreateChatCompletionResponse.model", "missing"),
        (
            lambda d: d.update(created="yesterday"),
            "CreateChatCompletionResponse.created",
            "expected int",
        ),
        (
            lambda d: d["usage"].update(total_tokens="4"),
            "CreateChatCompletionResponse.usage.total_tokens",
            "expected int",
        ),
        (
            lambda d: d.update(choices={"0": {}}),
            "CreateChatCompletionResponse.choices",
            "expected an array",
        ),
        (
            lambda d: d["choices"][0]["message"].update(reasoning_content="x"),
            "CreateChatCompletionResponse.choices[0].message",
            "reasoning_content",
        ),
        (lambda d: d.update(timings={}), "CreateChatCompletionResponse", "timings"),
    ],
    ids=[
        "missing-role",
        "missing-model",
        "wrong-type",
        "wrong-nested-type",
        "not-an-array",
        "unknown-nested",
        "unknown-top",
    ],
)
def test_strict_mode_names_the_path(
    server: responses.RequestsMock,
    strict_client: Client,
    client: Client,
    mutate: Any,
    path: str,
    problem: str,
) -> None:
    payload = copy.deepcopy(COMPLETION)
    mutate(payload)
    serve_json(server, payload)
    with pytest.raises(APIResponseValidationError) as info:
        send(strict_client)
    message = str(info.value)
    assert f"{path}:" in message or f"{path} " in message
    assert problem in message
    assert info.value.body == payload
    # The same body decodes leniently on a default client.
    assert isinstance(send(client), ChatCompletion)


def test_strict_mode_rejects_an_unknown_chunk_field(
    server: responses.RequestsMock, strict_client: Client
) -> None:
    serve_stream(server, chunk({"content": "a"}), chunk({"content": "b"}, provider="x"))
    with open_stream(strict_client) as stream:
        assert next(stream).choices[0].delta.content == "a"
        with pytest.raises(
            APIResponseValidationError, match=r"CreateChatCompletionStreamResponse.*provider"
        ):
            next(stream)
        assert stream.current_completion().choices[0].message.content == "a"


def test_strict_mode_accepts_a_plain_chunk(
    server: responses.RequestsMock, strict_client: Client
) -> None:
    serve_stream(
        server, chunk({"role": "assistant", "content": "a"}), chunk({}, finish_reason="stop")
    )
    with open_stream(strict_client) as stream:
        assert [type(c) for c in stream] == [ChatCompletionChunk, ChatCompletionChunk]
