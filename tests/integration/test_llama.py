"""The SDK's public API against a real llama.cpp server (started by conftest's fixture).

Outputs of a 135M model are not predictable, so the assertions are about structure and
consistency: non-empty text, streamed text equal to the accumulated final text, JSON that
validates against the requested schema, a tool call with the forced name and valid arguments.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import jsonschema
import pytest

from openai_core import Client, NotFoundError
from openai_core.types.responses import ResponseTextDeltaEvent

PERSON_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather for a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def client(llama_server: Any) -> Iterator[Client]:
    with Client(base_url=llama_server.base_url, timeout=120, max_retries=1) as c:
        yield c


@pytest.fixture(scope="module")
def model(llama_server: Any) -> str:
    return str(llama_server.model)


def test_models_list_reports_the_served_model(client: Client, model: str) -> None:
    page = client.models().list().send()
    assert model in [m.id for m in page.data]
    assert not page.has_next_page()


def test_chat_completion_returns_text(client: Client, model: str) -> None:
    result = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Say hello.")
        .max_tokens(24)
        .temperature(0)
        .send_with_meta()
    )
    completion = result.data
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert result.meta.status == 200 and result.meta.attempts == 1
    assert "timings" in completion.extra  # llama-server's own field is kept (compat C17)


def test_chat_stream_text_equals_final_completion(client: Client, model: str) -> None:
    builder = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Name three colors.")
        .max_tokens(32)
        .temperature(0)
        .stream_options({"include_usage": True})
    )
    pieces = []
    with builder.stream() as stream:
        for chunk in stream:
            for choice in chunk.choices:
                if choice.delta is not None and choice.delta.content:
                    pieces.append(choice.delta.content)
        final = stream.final_completion()
    assert len(pieces) > 1
    assert final.choices[0].message.content == "".join(pieces)
    assert final.choices[0].finish_reason in ("stop", "length")
    assert final.usage is not None and final.usage.completion_tokens > 0
    assert stream.response.raw.closed or stream.response.raw.isclosed()


def test_legacy_completion_and_stream(client: Client, model: str) -> None:
    base = client.completions().create().model(model).prompt("The sky is").max_tokens(12)
    completion = base.temperature(0).send()
    assert completion.choices[0].text
    with base.temperature(0).stream() as stream:
        text = "".join(c.choices[0].text for c in stream if c.choices)
    assert text


def test_responses_create_returns_output_text(client: Client, model: str) -> None:
    response = (
        client.responses()
        .create()
        .model(model)
        .input_text("Say hi.")
        .max_output_tokens(24)
        .temperature(0)
        .send()
    )
    assert response.status == "completed"
    assert response.output_text
    assert response.id


def test_responses_stream_text_equals_final_response(client: Client, model: str) -> None:
    builder = (
        client.responses()
        .create()
        .model(model)
        .instructions("Be brief.")
        .input_text("Name a fruit.")
        .max_output_tokens(24)
        .temperature(0)
    )
    deltas = []
    with builder.stream() as stream:
        events = []
        for event in stream:
            events.append(event.type)
            if isinstance(event, ResponseTextDeltaEvent):
                deltas.append(event.delta)
        final = stream.final_response()
    assert events[0] == "response.created"
    assert events[-1] == "response.completed"
    assert deltas
    assert final.output_text == "".join(deltas) == stream.output_text


def test_embeddings_decode_base64_to_the_same_floats(client: Client, model: str) -> None:
    default = client.embeddings().create().model(model).input(["hello", "world"]).send()
    assert [d.index for d in default.data] == [0, 1]
    vector = default.data[0].embedding
    assert len(vector) > 100 and all(isinstance(x, float) for x in vector[:10])
    floats = client.embeddings().create().model(model).input(["hello"]).encoding_format("float")
    explicit = floats.send().data[0].embedding
    assert explicit == pytest.approx(vector, abs=1e-6)


def forced_weather_call(client: Client, model: str) -> Any:
    """A forced call: ``tool_choice="required"`` with the one tool to call.

    llama-server accepts ``tool_choice`` only as a string, and a 135M model needs its turn
    started with the ``<tool_call>`` tag (and ``stop`` at the closing tag) to call reliably.
    """
    return (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("What is the weather in Paris?")
        .message_assistant("<tool_call>\n")
        .tools([WEATHER_TOOL])
        .tool_choice("required")
        .stop(["</tool_call>"])
        .max_tokens(64)
        .temperature(0)
    )


def test_forced_tool_call_has_name_and_json_arguments(client: Client, model: str) -> None:
    completion = forced_weather_call(client, model).send()
    calls = completion.choices[0].message.tool_calls
    assert calls, completion.to_dict()
    assert calls[0].function.name == "get_weather"
    assert calls[0].id
    arguments = json.loads(calls[0].function.arguments)
    assert isinstance(arguments, dict)
    assert completion.choices[0].finish_reason == "tool_calls"


def test_forced_tool_call_streamed_assembles_the_same_call(client: Client, model: str) -> None:
    with forced_weather_call(client, model).stream() as stream:
        fragments = 0
        for chunk in stream:
            for choice in chunk.choices:
                if choice.delta is not None and choice.delta.tool_calls:
                    fragments += 1
        final = stream.final_completion()
    assert fragments >= 2  # the call really arrived in pieces and was assembled
    calls = final.choices[0].message.tool_calls
    assert calls and calls[0].function.name == "get_weather"
    assert isinstance(json.loads(calls[0].function.arguments), dict)
    assert final.choices[0].finish_reason == "tool_calls"


def test_json_schema_response_format_validates(client: Client, model: str) -> None:
    completion = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Invent a person with a name and an age.")
        .response_format(
            {
                "type": "json_schema",
                "json_schema": {"name": "person", "schema": PERSON_SCHEMA, "strict": True},
            }
        )
        .max_tokens(64)
        .temperature(0)
        .send()
    )
    content = completion.choices[0].message.content
    assert content
    jsonschema.validate(json.loads(content), PERSON_SCHEMA)


def test_unknown_model_route_is_a_not_found_error(client: Client) -> None:
    with pytest.raises(NotFoundError) as info:
        client.chat().completions().retrieve("chatcmpl-does-not-exist").max_retries(0).send()
    assert info.value.status == 404
