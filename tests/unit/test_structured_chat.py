"""``client.chat().completions().parse(T)``: request shape per mode, parsing, errors, retry."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Any, Dict, Iterator, List, Literal, Optional

import attrs
import pytest
import responses
from typing_extensions import TypedDict

from openai_core import (
    APIResponseValidationError,
    Client,
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    StructuredOutputError,
    get_provider,
)
from openai_core.lib._schema import StrictSchemaError

BASE = "http://api.test/v1"
URL = f"{BASE}/chat/completions"

pytestmark = pytest.mark.timeout(30)


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


@attrs.frozen
class Pet:
    name: str
    species: Literal["cat", "dog"]


@attrs.frozen
class Person:
    name: str
    age: int
    mood: Mood
    pets: List[Pet]
    nickname: Optional[str] = None


@dataclasses.dataclass
class Point:
    x: float
    y: float


class Movie(TypedDict):
    title: str
    year: int


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Client:
    return Client(api_key="sk-test", base_url=BASE, max_retries=0)


def completion(
    content: Optional[str], finish_reason: str = "stop", **message: Any
) -> Dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, **message},
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8},
    }


PERSON = {
    "name": "Ada",
    "age": 36,
    "mood": "happy",
    "pets": [{"name": "Tom", "species": "cat"}],
    "nickname": None,
}


def body(rsps: responses.RequestsMock, index: int = 0) -> Dict[str, Any]:
    return json.loads(rsps.calls[index].request.body)  # type: ignore[no-any-return]


def test_parse_sends_a_strict_json_schema_and_returns_the_parsed_object(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion(json.dumps(PERSON)), headers={"x-request-id": "req_1"})
    done = client.chat().completions().parse(Person).model("m").message_user("Ada").send()
    person = done.choices[0].message.parsed
    assert person == Person(
        name="Ada", age=36, mood=Mood.HAPPY, pets=[Pet(name="Tom", species="cat")]
    )
    assert done.parsed == person
    # every other field of the completion is kept
    assert done.id == "chatcmpl-1" and done.model == "m" and done.created == 1
    assert done.usage.total_tokens == 8
    assert done.choices[0].finish_reason == "stop"
    assert done.choices[0].message.content == json.dumps(PERSON)
    assert done.to_dict()["id"] == "chatcmpl-1"
    fmt = body(rsps)["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Person"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["required"] == ["name", "age", "mood", "pets", "nickname"]


def test_parse_into_a_dataclass_and_a_typed_dict(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion('{"x": 1, "y": 2.5}'))
    rsps.post(URL, json=completion('{"title": "Alien", "year": 1979}'))
    point = client.chat().completions().parse(Point).model("m").send().choices[0].message.parsed
    assert point == Point(x=1.0, y=2.5)
    movie = client.chat().completions().parse(Movie).model("m").send().choices[0].message.parsed
    assert movie == {"title": "Alien", "year": 1979}


def test_parse_with_a_raw_schema_returns_the_json_value(
    rsps: responses.RequestsMock, client: Client
) -> None:
    schema = {"title": "Answer", "type": "object", "properties": {"n": {"type": "integer"}}}
    rsps.post(URL, json=completion('{"n": 4}'))
    done = client.chat().completions().parse(schema).model("m").send()
    assert done.choices[0].message.parsed == {"n": 4}
    sent = body(rsps)["response_format"]["json_schema"]
    assert sent["name"] == "Answer"
    assert sent["schema"]["additionalProperties"] is False


def test_mismatch_raises_structured_output_error_with_path_and_content(
    rsps: responses.RequestsMock, client: Client
) -> None:
    bad = json.dumps({**PERSON, "pets": [{"name": "Tom", "species": "fish"}]})
    rsps.post(URL, json=completion(bad), headers={"x-request-id": "req_9"})
    with pytest.raises(StructuredOutputError) as info:
        client.chat().completions().parse(Person).model("m").send()
    error = info.value
    assert isinstance(error, APIResponseValidationError)
    assert error.path == "$.pets[0].species"
    assert error.content == bad
    assert error.request_id == "req_9"
    assert "fish" in str(error)


def test_non_json_output_raises_structured_output_error(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion("Sure! Here is"))
    with pytest.raises(StructuredOutputError, match="not valid JSON") as info:
        client.chat().completions().parse(Person).model("m").send()
    assert info.value.path == "$"


def test_length_and_content_filter_finish_reasons_raise_their_errors(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion('{"name": "A', finish_reason="length"))
    rsps.post(URL, json=completion(None, finish_reason="content_filter"))
    with pytest.raises(LengthFinishReasonError) as info:
        client.chat().completions().parse(Person).model("m").send()
    assert info.value.completion.choices[0].message.content == '{"name": "A'
    with pytest.raises(ContentFilterFinishReasonError):
        client.chat().completions().parse(Person).model("m").send()


def test_refusal_sets_refusal_and_leaves_parsed_none(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion(None, refusal="I can't help with that."))
    done = client.chat().completions().parse(Person).model("m").send()
    assert done.choices[0].message.parsed is None
    assert done.choices[0].message.refusal == "I can't help with that."


def test_unsupported_type_is_refused_when_the_request_is_built(client: Client) -> None:
    @attrs.frozen
    class Loose:
        data: Dict[str, Any]

    builder = client.chat().completions().parse(Loose).model("m")  # not yet
    with pytest.raises(StrictSchemaError, match=r"Loose\.data: .*nested class"):
        builder.build()


@pytest.mark.parametrize(
    ("mode", "check"),
    [
        (
            "json_object_schema",
            lambda b: (
                b["response_format"]["type"] == "json_object"
                and b["response_format"]["schema"]["type"] == "object"
            ),
        ),
        (
            "guided_json",
            lambda b: "response_format" not in b and b["guided_json"]["type"] == "object",
        ),
        (
            "prompt",
            lambda b: (
                "response_format" not in b
                and b["messages"][0]["role"] == "system"
                and '"required":["name","age","mood","pets","nickname"]'
                in b["messages"][0]["content"]
            ),
        ),
    ],
)
def test_structured_output_modes_shape_the_request(client: Client, mode: str, check: Any) -> None:
    builder = client.chat().completions().parse(Person).model("m").message_user("hi")
    sent = builder.structured_output_mode(mode).build().json_data  # type: ignore[arg-type]
    assert check(sent)
    assert sent["messages"][-1] == {"role": "user", "content": "hi"}


def test_unknown_mode_is_refused(client: Client) -> None:
    with pytest.raises(ValueError, match="unknown structured_output_mode"):
        client.chat().completions().parse(Person).structured_output_mode("xml")  # type: ignore[arg-type]


def test_prompt_mode_retries_once_with_the_validation_error(
    rsps: responses.RequestsMock, client: Client
) -> None:
    rsps.post(URL, json=completion('{"name": "Ada"}'))
    rsps.post(URL, json=completion("```json\n" + json.dumps(PERSON) + "\n```"))
    builder = client.chat().completions().parse(Person).structured_output_mode("prompt")
    done = builder.model("m").message_user("Ada").send()
    assert done.choices[0].message.parsed is not None
    assert done.choices[0].message.parsed.name == "Ada"
    retry = body(rsps, 1)["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert retry[2]["content"] == '{"name": "Ada"}'
    assert "'age' is a required property" in retry[3]["content"]


def test_prompt_mode_gives_up_after_one_retry(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(URL, json=completion("no"))
    rsps.post(URL, json=completion("still no"))
    builder = client.chat().completions().parse(Person).structured_output_mode("prompt")
    with pytest.raises(StructuredOutputError) as info:
        builder.model("m").send()
    assert info.value.content == "still no"


def test_json_schema_mode_does_not_retry(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(URL, json=completion('{"name": "Ada"}'))
    with pytest.raises(StructuredOutputError):
        client.chat().completions().parse(Person).model("m").send()
    assert len(rsps.calls) == 1


def test_provider_profile_hook_chooses_the_mode(client: Client) -> None:
    profile = get_provider("custom").evolve(structured_output_mode="guided_json")
    client = client.with_options(provider_profile=profile)
    sent = client.chat().completions().parse(Person).model("m").build().json_data
    assert sent is not None and "guided_json" in sent
    explicit = client.chat().completions().parse(Person).model("m")
    sent = explicit.structured_output_mode("json_schema").build().json_data
    assert sent is not None and sent["response_format"]["type"] == "json_schema"


def test_send_with_meta_keeps_the_metadata(rsps: responses.RequestsMock, client: Client) -> None:
    rsps.post(URL, json=completion(json.dumps(PERSON)), headers={"x-request-id": "req_2"})
    result = client.chat().completions().parse(Person).model("m").send_with_meta()
    assert result.meta.request_id == "req_2"
    assert result.data.choices[0].message.parsed is not None
