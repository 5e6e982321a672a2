"""Structured output parsed into attrs classes against the real llama.cpp server.

llama-server enforces ``response_format: json_schema`` with a grammar, so the 135M model's output
must validate; the SDK must generate the strict schema from the class, send it, validate the
answer with ``jsonschema`` and structure it into the class.
"""

from __future__ import annotations

import enum
from typing import Any, Iterator

import attrs
import pytest

from openai_core import Client


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


@attrs.frozen
class Pet:
    name: str
    species: str


@attrs.frozen
class Person:
    """A person the model invents (one nested pet: a 135M model repeats list items until the
    token limit)."""

    name: str = attrs.field(metadata={"description": "Given name"})
    age: int = attrs.field(metadata={"description": "Age in years"})
    mood: Mood
    pet: Pet


@pytest.fixture(scope="module")
def client(llama_server: Any) -> Iterator[Client]:
    with Client(base_url=llama_server.base_url, timeout=120, max_retries=1) as c:
        yield c


def test_chat_parse_into_an_attrs_class(client: Client, llama_server: Any) -> None:
    completion = (
        client.chat()
        .completions()
        .parse(Person)
        .model(llama_server.model)
        .message_user("Invent a person with one pet.")
        .max_tokens(160)
        .temperature(0)
        .send()
    )
    person = completion.choices[0].message.parsed
    assert isinstance(person, Person)
    assert isinstance(person.mood, Mood)
    assert isinstance(person.pet, Pet)
    assert isinstance(person.age, int)


def test_chat_parse_stream_ends_with_the_validated_object(
    client: Client, llama_server: Any
) -> None:
    builder = (
        client.chat()
        .completions()
        .parse(Person)
        .model(llama_server.model)
        .message_user("Invent a person with one pet.")
        .max_tokens(160)
        .temperature(0)
    )
    partials = []
    with builder.stream() as stream:
        for _ in stream:
            if stream.parsed_partial is not None:
                partials.append(stream.parsed_partial)
        final = stream.final_completion()
    assert isinstance(final.choices[0].message.parsed, Person)
    assert len(partials) > 1  # snapshots grew while the answer streamed
    assert isinstance(partials[-1], dict)


def test_chat_parse_with_json_object_schema_on_llama_cpp_python(
    llama_cpp_python_server: Any,
) -> None:
    """llama-cpp-python's server refuses ``json_schema`` and wants ``json_object`` + ``schema``
    (compat C36): the same class parses through that mode."""
    with Client(base_url=llama_cpp_python_server.base_url, timeout=120, max_retries=0) as client:
        builder = (
            client.chat()
            .completions()
            .parse(Person)
            .structured_output_mode("json_object_schema")
            .model(llama_cpp_python_server.model)
            .message_user("Invent a person with one pet.")
            .max_tokens(160)
            .temperature(0)
        )
        assert builder.build().json_data["response_format"]["type"] == "json_object"
        person = builder.send().choices[0].message.parsed
    assert isinstance(person, Person)
    assert isinstance(person.mood, Mood)
    assert isinstance(person.pet, Pet)
