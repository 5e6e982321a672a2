"""Provider profiles against the two real servers: ``llamacpp`` on llama-server and
``llama-cpp-python`` on llama-cpp-python's server. Structured output goes through the profile's
mode without choosing one (C36), Responses is refused client-side where the server has none
(C40), ``max_completion_tokens`` reaches llama-cpp-python as ``max_tokens`` (C34), and stream
usage is asked for only where ``stream_options`` is supported (C14)."""

from __future__ import annotations

from typing import Any, Iterator

import attrs
import pytest

from openai_core import Client, UnsupportedCapabilityError


@attrs.frozen
class Person:
    name: str
    age: int


PROMPT = "Invent a person. Reply with JSON with a name and an age."


@pytest.fixture(scope="module")
def llamacpp(llama_server: Any) -> Iterator[Client]:
    with Client.for_provider(
        "llamacpp", base_url=llama_server.base_url, timeout=120, max_retries=1
    ) as client:
        yield client


@pytest.fixture(scope="module")
def llama_py(llama_cpp_python_server: Any) -> Iterator[Client]:
    # A bare origin: the profile adds /v1 (C39).
    root = llama_cpp_python_server.base_url.rsplit("/v1", 1)[0]
    with Client.for_provider("llama-cpp-python", base_url=root, timeout=120, max_retries=1) as c:
        assert c.base_url == llama_cpp_python_server.base_url
        yield c


def test_llamacpp_chat_works(llamacpp: Client, llama_server: Any) -> None:
    completion = (
        llamacpp.chat()
        .completions()
        .create()
        .model(llama_server.model)
        .message_user("Say hello.")
        .max_completion_tokens(16)
        .temperature(0)
        .send()
    )
    assert completion.choices[0].message.content


def test_llamacpp_stream_reports_usage_through_the_profile(
    llamacpp: Client, llama_server: Any
) -> None:
    builder = (
        llamacpp.chat()
        .completions()
        .create()
        .model(llama_server.model)
        .message_user("Name three colors.")
        .max_tokens(16)
        .temperature(0)
    )
    assert builder._compile(stream=True).json_data["stream_options"] == {"include_usage": True}
    with builder.stream() as stream:
        text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        final = stream.final_completion()
    assert text
    assert final.usage is not None and final.usage.completion_tokens > 0


def test_llamacpp_parse_uses_json_schema(llamacpp: Client, llama_server: Any) -> None:
    builder = llamacpp.chat().completions().parse(Person).model(llama_server.model)
    builder = builder.message_user(PROMPT).temperature(0).max_tokens(64)
    assert builder.build().json_data["response_format"]["type"] == "json_schema"
    person = builder.send().choices[0].message.parsed
    assert isinstance(person, Person)


def test_llamacpp_responses_are_allowed(llamacpp: Client, llama_server: Any) -> None:
    reply = (
        llamacpp.responses()
        .create()
        .model(llama_server.model)
        .input_text("Say hello.")
        .max_output_tokens(16)
        .send()
    )
    assert reply.output_text


def test_llama_cpp_python_chat_works(llama_py: Client, llama_cpp_python_server: Any) -> None:
    completion = (
        llama_py.chat()
        .completions()
        .create()
        .model(llama_cpp_python_server.model)
        .message_user("Count from one to one hundred.")
        .max_completion_tokens(3)
        .temperature(0)
        .send()
    )
    assert completion.choices[0].message.content
    # Sent as max_tokens (C34): the server ignores max_completion_tokens.
    assert completion.usage is not None and completion.usage.completion_tokens <= 3


def test_llama_cpp_python_parse_uses_the_profile_mode(
    llama_py: Client, llama_cpp_python_server: Any
) -> None:
    builder = llama_py.chat().completions().parse(Person).model(llama_cpp_python_server.model)
    builder = builder.message_user(PROMPT).temperature(0).max_tokens(64)
    assert builder.build().json_data["response_format"]["type"] == "json_object"
    person = builder.send().choices[0].message.parsed
    assert isinstance(person, Person)
    assert isinstance(person.age, int)


def test_llama_cpp_python_stream_without_stream_options(
    llama_py: Client, llama_cpp_python_server: Any
) -> None:
    builder = (
        llama_py.chat()
        .completions()
        .create()
        .model(llama_cpp_python_server.model)
        .message_user("Say hi.")
        .stream_options({"include_usage": True})
        .max_tokens(8)
    )
    assert "stream_options" not in builder._compile(stream=True).json_data
    with builder.stream() as stream:
        chunks = list(stream)
    assert chunks


def test_llama_cpp_python_responses_refused_before_sending(llama_py: Client) -> None:
    with pytest.raises(UnsupportedCapabilityError) as info:
        llama_py.responses().create().model("m").input_text("hi").send()
    assert info.value.provider == "llama-cpp-python"
    assert info.value.capability == "responses_api"
    assert "Responses API" in str(info.value)
