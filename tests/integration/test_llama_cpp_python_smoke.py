"""The SDK against llama-cpp-python's server (``python -m llama_cpp.server``), a second,
differently behaved compatible server (see ``tools/llama_cpp_python_server.py``):
no ``/v1/responses``, JSON mode as ``{"type": "json_object", "schema": ...}``, streams
without ``usage``.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import jsonschema
import pytest

from openai_core import Client, NotFoundError

PERSON_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name", "age"],
    "additionalProperties": False,
}


@pytest.fixture(scope="module")
def client(llama_cpp_python_server: Any) -> Iterator[Client]:
    with Client(base_url=llama_cpp_python_server.base_url, timeout=60, max_retries=1) as c:
        yield c


@pytest.fixture(scope="module")
def model(llama_cpp_python_server: Any) -> str:
    return str(llama_cpp_python_server.model)


def test_chat_completion_returns_text(client: Client, model: str) -> None:
    completion = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Say hello.")
        .max_tokens(24)
        .temperature(0)
        .send()
    )
    assert completion.model == model
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_chat_stream_text_equals_final_completion(client: Client, model: str) -> None:
    builder = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Name three colors.")
        .max_tokens(32)
        .temperature(0)
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


def test_json_object_with_schema_validates(client: Client, model: str) -> None:
    completion = (
        client.chat()
        .completions()
        .create()
        .model(model)
        .message_user("Invent a person with a name and an age. Answer in JSON.")
        .response_format({"type": "json_object", "schema": PERSON_SCHEMA})
        .max_tokens(64)
        .temperature(0)
        .send()
    )
    content = completion.choices[0].message.content
    assert content
    jsonschema.validate(json.loads(content), PERSON_SCHEMA)


def test_responses_api_is_not_found(client: Client, model: str) -> None:
    """Compat C40: a server without ``/v1/responses`` answers 404 -> NotFoundError."""
    with pytest.raises(NotFoundError) as info:
        client.responses().create().model(model).input_text("Say hi.").max_retries(0).send()
    assert info.value.status == 404
